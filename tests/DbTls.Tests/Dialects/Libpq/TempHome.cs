using System.Collections.Immutable;
using DbTls.Dialects.Libpq;
using DbTls.Tests.Infrastructure;

namespace DbTls.Tests.Dialects.Libpq;

/// <summary>A throw-away home directory (with ~/.postgresql) and a libpq environment pointing at it.</summary>
internal sealed class TempHome : IDisposable
{
    private static readonly Lazy<(string Root, string Crl)> Pems = new(() =>
    {
        using var root = CertFactory.CreateRoot("libpq parser test root");
        return (root.CertificatePem, root.CreateCrlPem([]));
    });

    public TempHome()
    {
        Root = Directory.CreateTempSubdirectory("dbtls-libpq-").FullName;
        Directory.CreateDirectory(DotPostgresql);
    }

    public string Root { get; }

    public string DotPostgresql => Path.Combine(Root, ".postgresql");

    /// <summary>A PEM root certificate (generated once per test run).</summary>
    public static string RootPem => Pems.Value.Root;

    /// <summary>A PEM CRL issued by that root.</summary>
    public static string CrlPem => Pems.Value.Crl;

    /// <summary>Writes a file below the home directory (owner-only unless a mode is given) and returns its full path.</summary>
    public string Write(string relativePath, string content, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite)
    {
        var path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }

        return path;
    }

    public string WriteRootCert(string relativePath = ".postgresql/root.crt") => Write(relativePath, RootPem);

    public LibpqEnvironment Env(params (string Name, string Value)[] variables) =>
        new(variables.ToImmutableDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal), Root, "osuser");

    public PostgresConnectionSpec Parse(string connectionString, params (string Name, string Value)[] variables) =>
        LibpqConnectionString.Parse(connectionString, Env(variables));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }
}
