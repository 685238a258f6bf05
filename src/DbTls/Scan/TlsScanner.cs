using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using DbTls.Diagnostics;
using DbTls.Reports;
using DbTls.Scan.Compatibility;
using DbTls.Scan.Probe;
using DbTls.Scan.Profiles;
using DbTls.Tls;

namespace DbTls.Scan;

/// <summary>Scans what TLS one database endpoint accepts: versions, suites and their order, groups, certificate, protocol facts.</summary>
public static class TlsScanner
{
    public static async Task<ScanReport> ScanAsync(string host, int port, ScanOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Profile is not null && ScanProfiles.Find(options.Profile) is null)
        {
            throw new DbTlsException(FindingCodes.ConfigInvalid, $"no profile named {options.Profile}", $"Use one of: {string.Join(", ", ScanProfiles.Names)}.");
        }
        var clock = Stopwatch.StartNew();
        var trace = options.Trace is null ? null : new ScanTrace();
        var target = await ResolveAsync(host, port, cancellationToken).ConfigureAwait(false);
        var protocol = options.Protocol;
        var report = new ScanReport { Target = target.Display };
        var detectionConnections = 0;
        if (protocol is null)
        {
            // Detection opens nothing ahead and is closed before the scan starts: a server that serves one connection
            // at a time (openssl s_server, a busy single-threaded proxy) would otherwise sit on an idle spare.
            await using var detection = new ScanSession(target, ScanProtocol.Tls, options, openAhead: false) { Trace = trace };
            protocol = await ProtocolDetection.DetectAsync(detection, cancellationToken).ConfigureAwait(false);
            detectionConnections = detection.Connections;
            report.ProtocolDetected = true;
            if (protocol is null && !await AcceptsConnectionsAsync(target, options, cancellationToken).ConfigureAwait(false))
            {
                // Nothing answered because nothing listens: the TLS path's way-in failure says so (net.unreachable).
                protocol = ScanProtocol.Tls;
            }

            if (protocol is null)
            {
                // Not a database port, or not one dbtls can reach: say so once instead of scanning TLS on a port that has none.
                var unknown = FindingCatalog.Create(FindingCodes.ScanProtocolUnknown, ProtocolDetection.Unanswered(options));
                report.Protocol = "unknown";
                report.Findings = [FindingReport.From(unknown)];
                report.ExitCode = ScanFindings.ExitCode([unknown]);
                report.Connections = detectionConnections + 1; // and the one that showed the port open
                report.ElapsedMs = Math.Round(clock.Elapsed.TotalMilliseconds, 1);
                return report;
            }
        }

        await using var scan = new ScanSession(target, protocol.Value, options) { Trace = trace };
        report.Protocol = ScanProtocols.Name(protocol.Value);
        // Newest version first, then the facts: the probe connections queue for their slots in the order they are
        // asked for, and the versions a server accepts start the longest chains (a refused version is one probe).
        var scans = Enumerable.Reverse(TlsVersions.Scanned).Select(v => VersionScan.RunAsync(scan, v, cancellationToken)).ToArray();
        var facts = ProtocolFacts.GatherAsync(scan, report, cancellationToken);
        var scanned = Enumerable.Reverse(await Task.WhenAll(scans).ConfigureAwait(false)).ToArray();
        await facts.ConfigureAwait(false);
        var versions = scanned.Select(s => s.Result).ToArray();
        report.Versions.AddRange(scanned.Select(s => ToReport(s.Result, s.Groups)));
        if (options.SignatureAlgorithms)
        {
            foreach (var result in await SignatureAlgorithmScan.RunAsync(scan, versions, cancellationToken).ConfigureAwait(false))
            {
                var version = report.Versions.Single(v => v.Version == TlsVersions.Name(result.Version));
                version.SignatureAlgorithms = [.. result.Accepted.Select(s => s.Name)];
                version.AnySignatureAlgorithm = result.AcceptsAny;
            }
        }

        var withCertificate = versions.LastOrDefault(v => v.Accepted && v.First.Certificates.Count > 0);
        if (withCertificate is not null)
        {
            report.Certificates = Describe(withCertificate.First.Certificates);
            var hello = withCertificate.First;
            report.Extensions = new ScanExtensionsReport
            {
                SecureRenegotiation = hello.SecureRenegotiation,
                ExtendedMasterSecret = hello.ExtendedMasterSecret,
                Compression = hello.Compression != 0,
                OcspStapled = hello.OcspStapled,
                Resumption = [.. hello.SessionId ? ["session-id"] : Array.Empty<string>(), .. hello.SessionTicket ? ["ticket"] : Array.Empty<string>()],
            };
        }

        if (Sslv2Probe.Worth(versions, protocol.Value))
        {
            report.Sslv2 = await scan.FactAsync((target, ct) => Sslv2Probe.AnswersAsync(target, protocol.Value, ct), cancellationToken).ConfigureAwait(false);
        }

        if (withCertificate is not null)
        {
            var others = await CertificateChains.OthersAsync(scan, withCertificate, withCertificate.First.Suite, cancellationToken).ConfigureAwait(false);
            report.OtherChains = [.. others.Select(o => new ScanChainReport { KeyType = o.Key, Certificates = Describe(o.Chain) })];
        }

        if (report.Extensions is { } extensions)
        {
            extensions.FallbackScsv = await FallbackScan.RunAsync(scan, versions, cancellationToken).ConfigureAwait(false);
        }

        report.Clients = ClientCompatibility.Assess(report, protocol.Value, ClientTlsDefaults.All);
        var findings = ScanFindings.For(report, versions, protocol.Value);
        report.ExitCode = ScanFindings.ExitCode(findings);
        if (ScanProfiles.Find(options.Profile) is { } profile)
        {
            var shortfalls = ProfileGrader.Grade(profile, report, versions, protocol.Value);
            report.Profile = new ScanProfileReport { Name = profile.Name, Guideline = profile.Guideline, Met = shortfalls.Count == 0 };
            // The gate is the profile: its shortfalls, or a server that could not be scanned; other warnings stay advice.
            report.ExitCode = ScanFindings.ExitCode(shortfalls.Concat(findings.Where(ScanFindings.Unscannable)));
            findings.AddRange(shortfalls);
        }

        report.Findings = findings.Select(FindingReport.From).ToList();
        report.Connections = detectionConnections + scan.Connections;
        report.ElapsedMs = Math.Round(clock.Elapsed.TotalMilliseconds, 1);
        if (trace is not null)
        {
            trace.Note("report ready");
            trace.WriteTo(options.Trace!);
        }

        return report;
    }

    private static ScanVersionReport ToReport(VersionResult result, IReadOnlyList<NamedGroup> groups) => new()
    {
        Version = TlsVersions.Name(result.Version),
        Accepted = result.Accepted,
        Suites = result.Suites.Select(id => new ScanSuite { Id = $"0x{id:X4}", Name = CipherSuite.Of(id).Name }).ToList(),
        Order = result.Order,
        Groups = groups.Select(g => g.Name).ToList(),
        Refusal = result.Accepted ? null : Refusal(result.First),
    };

    internal static string Refusal(ProbeReply reply) => reply.Kind switch
    {
        ProbeReplyKind.Alert => $"alert {AlertName(reply.AlertDescription)} ({reply.AlertDescription})",
        ProbeReplyKind.ServerHello or ProbeReplyKind.HelloRetryRequest => $"the server answered with {TlsVersions.Name(reply.Version)}",
        _ => reply.Detail ?? reply.Kind.ToString().ToLowerInvariant(),
    };

    private static string AlertName(byte description) => description switch
    {
        10 => "unexpected_message",
        40 => "handshake_failure",
        47 => "illegal_parameter",
        50 => "decode_error",
        70 => "protocol_version",
        71 => "insufficient_security",
        80 => "internal_error",
        86 => "inappropriate_fallback",
        109 => "missing_extension",
        112 => "unrecognized_name",
        120 => "no_application_protocol",
        _ => "alert",
    };

    private static List<CertificateReport> Describe(IReadOnlyList<byte[]> certificates)
    {
        var described = new List<CertificateReport>();
        foreach (var der in certificates)
        {
            try
            {
                using var certificate = X509CertificateLoader.LoadCertificate(der);
                described.Add(CertificateDescriber.Describe(certificate));
            }
            catch (System.Security.Cryptography.CryptographicException)
            {
                // A certificate that does not parse is shown as such rather than ending the scan.
                described.Add(new CertificateReport { Subject = "(unparsable certificate)", Sha256 = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(der)) });
            }
        }

        return described;
    }

    /// <summary>Whether a TCP connection to the target opens at all (one more connection, only after detection found nothing).</summary>
    private static async Task<bool> AcceptsConnectionsAsync(ScanTarget target, ScanOptions options, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.ProbeTimeout);
        using var socket = new System.Net.Sockets.Socket(target.EndPoint.AddressFamily, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(target.EndPoint, deadline.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }

    private static async Task<ScanTarget> ResolveAsync(string host, int port, CancellationToken cancellationToken)
    {
        var bare = host.Trim('[', ']');
        if (IPAddress.TryParse(bare, out var address))
        {
            return new ScanTarget(host, port, new IPEndPoint(address, port));
        }

        IPAddress[] addresses;
        try
        {
            addresses = await Dns.GetHostAddressesAsync(bare, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            throw new DbTlsException(FindingCodes.NetUnreachable, $"the host name {bare} could not be resolved ({ex.SocketErrorCode})");
        }

        var first = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault()
            ?? throw new DbTlsException(FindingCodes.NetUnreachable, $"the host name {bare} has no address");
        return new ScanTarget(host, port, new IPEndPoint(first, port));
    }
}
