using DbTls.Tests.Infrastructure.Streams;
using DbTls.Wire.Tds;

namespace DbTls.Tests.Servers.Tds;

/// <summary>One TDS message as the server's TDS layer received it, and whether it came through TLS.</summary>
internal sealed record TdsReceivedMessage(TdsPacketType Type, byte[] Payload, bool ViaTls, int Packets);

/// <summary>Everything the test server saw and decided on one connection.</summary>
public sealed class TdsConnectionRecord
{
    private readonly object _lock = new();
    private readonly List<TdsReceivedMessage> _messages = [];
    private readonly List<string> _batches = [];
    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal TdsConnectionRecord(int id, ushort spid, ByteLog rawReceived, ByteLog rawSent)
    {
        Id = id;
        Spid = spid;
        RawReceived = rawReceived;
        RawSent = rawSent;
    }

    public int Id { get; }

    public ushort Spid { get; }

    /// <summary>Every byte read from the socket, exactly as it arrived (TLS records still encrypted).</summary>
    public ByteLog RawReceived { get; }

    /// <summary>Every byte written to the socket.</summary>
    public ByteLog RawSent { get; }

    /// <summary>The TDS bytes the server's TDS layer read after TLS was taken off (or in clear when there was none).</summary>
    public ByteLog ApplicationReceived { get; } = new();

    /// <summary>True when the connection began with a TLS ClientHello (TDS 8.0 strict).</summary>
    public bool Strict { get; set; }

    internal PreLoginMessage? ClientPreLogin { get; set; }

    /// <summary>The ENCRYPTION value the server answered; null when it left the option out.</summary>
    internal PreLoginEncryption? EncryptionAnswer { get; set; }

    internal TdsEncryptionOutcome? Outcome { get; set; }

    /// <summary>
    /// The client sent ENCRYPT_NOT_SUP, the server answered that it requires encryption, and the client went
    /// on with a TLS handshake anyway (as FreeTDS with encryption = off does); <see cref="Outcome"/> is then Full.
    /// </summary>
    public bool TlsDespiteNotSupported { get; set; }

    public bool TlsHandshakeCompleted { get; set; }

    public string? TlsProtocol { get; set; }

    public string? TlsCipherSuite { get; set; }

    public string? Alpn { get; set; }

    /// <summary>The SNI the client sent; null when it sent none.</summary>
    public string? Sni { get; set; }

    /// <summary>The packet types the client wrapped its handshake in (TDS 7.x).</summary>
    internal IReadOnlyCollection<TdsPacketType> HandshakePacketTypes { get; set; } = [];

    internal Login7Message? Login { get; set; }

    /// <summary>Whether the first LOGIN7 packet arrived through TLS.</summary>
    public bool? LoginViaTls { get; set; }

    public bool LoginSucceeded { get; set; }

    /// <summary>Whether the session continues encrypted after login (what encrypt_option reports).</summary>
    public bool EncryptedAfterLogin { get; set; }

    public uint? NegotiatedTdsVersion { get; set; }

    /// <summary>Why the server ended the connection, when it was not the client closing cleanly.</summary>
    public string? Error { get; set; }

    internal IReadOnlyList<TdsReceivedMessage> Messages
    {
        get
        {
            lock (_lock)
            {
                return [.. _messages];
            }
        }
    }

    public IReadOnlyList<string> Batches
    {
        get
        {
            lock (_lock)
            {
                return [.. _batches];
            }
        }
    }

    public Task Completion => _completed.Task;

    internal void AddMessage(TdsReceivedMessage message)
    {
        lock (_lock)
        {
            _messages.Add(message);
        }
    }

    internal void AddBatch(string sql)
    {
        lock (_lock)
        {
            _batches.Add(sql);
        }
    }

    internal void Complete() => _completed.TrySetResult();

    /// <summary>Whether the raw socket bytes contain <paramref name="text"/> in UTF-16LE (as LOGIN7 carries names).</summary>
    public bool RawContainsUtf16(string text) =>
        RawReceived.ToArray().AsSpan().IndexOf(System.Text.Encoding.Unicode.GetBytes(text)) >= 0;

    public override string ToString() =>
        $"#{Id} strict={Strict} answer={EncryptionAnswer?.ToSpecName() ?? "omitted"} outcome={Outcome} tls={TlsProtocol} login={LoginSucceeded} encrypted={EncryptedAfterLogin} error={Error}";
}
