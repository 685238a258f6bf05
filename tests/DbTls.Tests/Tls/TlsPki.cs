using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using DbTls.Policy;
using DbTls.Tests.Infrastructure;
using DbTls.Tls;

namespace DbTls.Tests.Tls;

/// <summary>
/// A CA hierarchy generated once for the TLS tests (root, intermediate, an unrelated root) and a
/// scratch directory for the files the policies point at. CAs start ten years back so that
/// expired and not-yet-valid leaves can be issued under them.
/// </summary>
public sealed class TlsPki : IDisposable
{
    public TlsPki()
    {
        Directory = Path.Combine(Path.GetTempPath(), "dbtls-tls-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        var now = DateTimeOffset.UtcNow;
        Root = CertFactory.Issue(new CertSpec { CommonName = "dbtls Test Root CA", IsCertificateAuthority = true, NotBefore = now.AddYears(-10), NotAfter = now.AddYears(10) }, null);
        Intermediate = CertFactory.Issue(new CertSpec { CommonName = "dbtls Test Intermediate CA", IsCertificateAuthority = true, NotBefore = now.AddYears(-10), NotAfter = now.AddYears(10) }, Root);
        OtherRoot = CertFactory.Issue(new CertSpec { CommonName = "dbtls Other Root CA", IsCertificateAuthority = true, NotBefore = now.AddYears(-10), NotAfter = now.AddYears(10) }, null);
        RootFile = Write("root.pem", Root.CertificatePem);
        OtherRootFile = Write("other-root.pem", OtherRoot.CertificatePem);
        IntermediateFile = Write("intermediate.pem", Intermediate.CertificatePem);
    }

    public string Directory { get; }

    public IssuedCert Root { get; }

    public IssuedCert Intermediate { get; }

    public IssuedCert OtherRoot { get; }

    public string RootFile { get; }

    public string OtherRootFile { get; }

    public string IntermediateFile { get; }

    /// <summary>A server certificate under the intermediate (serverAuth unless the spec says otherwise).</summary>
    public IssuedCert Leaf(CertSpec spec, IssuedCert? issuer = null) => CertFactory.CreateLeaf(issuer ?? Intermediate, spec);

    public IssuedCert DbLeaf() => Leaf(new CertSpec { CommonName = "db.test", DnsNames = ["db.test"] });

    public string Write(string name, string text)
    {
        var path = Path.Combine(Directory, name);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    public string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(Directory, name);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public static TlsPolicy Policy(TrustSource trust, VerificationLevel verification = VerificationLevel.ChainAndHostName, HostNameRules rules = HostNameRules.Libpq) => new()
    {
        Encryption = EncryptionMode.Required,
        Verification = verification,
        Trust = trust,
        HostNameRules = rules,
    };

    public TlsPolicy RootPolicy(VerificationLevel verification = VerificationLevel.ChainAndHostName, HostNameRules rules = HostNameRules.Libpq) =>
        Policy(new TrustSource.PemFile(RootFile), verification, rules);

    public void Dispose()
    {
        Root.Dispose();
        Intermediate.Dispose();
        OtherRoot.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

[CollectionDefinition("tls")]
public sealed class TlsCollection : ICollectionFixture<TlsPki>;

/// <summary>One client connection: either a session or the handshake exception.</summary>
internal sealed class Connection : IAsyncDisposable
{
    private readonly TcpClient _tcp;

    private Connection(TcpClient tcp, TlsSession? session, TlsHandshakeException? error)
    {
        _tcp = tcp;
        Session = session;
        Error = error;
    }

    public TlsSession? Session { get; }

    public TlsHandshakeException? Error { get; }

    public Reports.TlsReport Report => Session?.Report ?? Error!.Report;

    public TlsSession Ok => Session ?? throw new Xunit.Sdk.XunitException($"handshake failed: {Error!.Code}: {Error.Message}");

    public TlsHandshakeException Failed => Error ?? throw new Xunit.Sdk.XunitException("the handshake succeeded but was expected to fail");

    public string Step(string name) => Report.Validation.Single(s => s.Step == name).Outcome;

    public string Detail(string name) => Report.Validation.Single(s => s.Step == name).Detail;

    public static async Task<Connection> OpenAsync(IPEndPoint endPoint, TlsPolicy policy, string? host)
    {
        var tcp = new TcpClient(endPoint.AddressFamily);
        await tcp.ConnectAsync(endPoint);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            var session = await TlsClient.AuthenticateAsync(tcp.GetStream(), policy, new TlsTarget(host), timeout.Token);
            return new Connection(tcp, session, null);
        }
        catch (TlsHandshakeException ex)
        {
            return new Connection(tcp, null, ex);
        }
    }

    /// <summary>Sends a line and reads it back through the server (echoed, or reversed by s_server -rev).</summary>
    public async Task<string> RoundTripAsync(string line)
    {
        var stream = Ok.Stream;
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(line + "\n"));
        var buffer = new byte[256];
        var total = 0;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (total == 0 || buffer[total - 1] != (byte)'\n')
        {
            var read = await stream.ReadAsync(buffer.AsMemory(total), timeout.Token);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return System.Text.Encoding.ASCII.GetString(buffer, 0, total).TrimEnd('\n');
    }

    public async ValueTask DisposeAsync()
    {
        if (Session is not null)
        {
            await Session.DisposeAsync();
        }

        _tcp.Dispose();
    }
}

/// <summary>Runs the openssl command line on files the tests wrote, to cross-check behaviour.</summary>
internal static class OpenSslCli
{
    public static (int ExitCode, string Output) Run(params string[] arguments)
    {
        var info = new ProcessStartInfo("openssl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr);
    }
}
