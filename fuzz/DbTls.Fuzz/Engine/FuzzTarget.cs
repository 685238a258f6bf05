namespace DbTls.Fuzz.Engine;

/// <summary>
/// One parser of server bytes as the fuzzer drives it. Subclasses in Targets/ are the only place that
/// names parser entry points in src/, so a rename there is followed here and nowhere else.
/// </summary>
internal abstract class FuzzTarget
{
    /// <summary>The name used on the command line and as the corpus folder (fuzz/corpus/&lt;name&gt;).</summary>
    public abstract string Name { get; }

    /// <summary>What the target reaches in src/, for the listing and the README.</summary>
    public abstract string Reaches { get; }

    /// <summary>
    /// Feeds one input to the parser as a server would send it. Returning normally means the parser
    /// accepted the bytes; a documented refusal is a <see cref="DbTls.Diagnostics.DbTlsException"/>.
    /// </summary>
    public abstract void Run(byte[] input);

    /// <summary>Protocol tokens the mutator splices in (keywords, magic numbers); none by default.</summary>
    public virtual IReadOnlyList<byte[]> Dictionary => [];

    /// <summary>The longest input the mutator grows to; servers' first flights are small.</summary>
    public virtual int MaxInputLength => 64 * 1024;

    /// <summary>
    /// The least time one input may take before it counts as a hang. SCRAM targets raise it: dbtls
    /// accepts up to 10 million PBKDF2 iterations on purpose, which takes seconds on a loaded machine.
    /// </summary>
    public virtual TimeSpan MinimumTimeout => TimeSpan.Zero;

    /// <summary>Releases what the target holds across inputs (a listening socket).</summary>
    public virtual void Close()
    {
    }
}
