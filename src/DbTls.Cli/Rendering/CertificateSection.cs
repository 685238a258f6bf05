using System.Globalization;
using DbTls.Reports;
using Spectre.Console;

namespace DbTls.Cli.Rendering;

/// <summary>The certificate chain as the server sent it, with validity judged against the report's moment.</summary>
internal static class CertificateSection
{
    public static void Write(IAnsiConsole console, List<CertificateReport> certificates, TextSettings settings)
    {
        if (certificates.Count == 0)
        {
            return;
        }

        var now = settings.Now;

        TextReportRenderer.Section(console, "Certificate chain (as sent by the server, leaf first)", settings);
        for (var i = 0; i < certificates.Count; i++)
        {
            var cert = certificates[i];
            var role = i == 0 ? "server" : cert.IsCertificateAuthority ? "CA" : "certificate";
            var heading = new Paragraph();
            heading.Append($"  [{i}] ", Styles.Muted);
            heading.Append(role, Styles.Heading);
            console.Write(heading);
            console.WriteLine();

            var block = new KeyValueBlock(indent: 6, minimumLabelWidth: "IP addresses".Length)
                .Add("Subject", cert.Subject)
                .Add("Issuer", cert.Issuer)
                .AddLines("DNS names", cert.DnsNames)
                .AddLines("IP addresses", cert.IpAddresses)
                .Add("Valid from", FormatTime(cert.NotBefore) + NotBeforeNote(cert.NotBefore, now), cert.NotBefore > now ? Styles.Bad : (Style?)null)
                .Add("Valid until", FormatTime(cert.NotAfter) + NotAfterNote(cert.NotAfter, now), NotAfterStyle(cert.NotAfter, now))
                .Add("Key", cert.Key)
                .Add("Signature", cert.SignatureAlgorithm)
                .Add("CA", cert.IsCertificateAuthority ? "yes" : "no")
                .Add("Serial", cert.SerialNumber)
                .Add("SHA-256", Fingerprint.Format(cert.Sha256));
            console.Write(block.Build());
        }
    }

    private static string FormatTime(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private static string NotBeforeNote(DateTimeOffset notBefore, DateTimeOffset now) =>
        notBefore > now ? $" (not valid for another {Days(notBefore - now)})" : "";

    private static string NotAfterNote(DateTimeOffset notAfter, DateTimeOffset now) =>
        notAfter < now ? $" (expired {Days(now - notAfter)} ago)" : $" (in {Days(notAfter - now)})";

    private static Style? NotAfterStyle(DateTimeOffset notAfter, DateTimeOffset now) =>
        notAfter < now ? Styles.Bad : notAfter - now < TimeSpan.FromDays(30) ? Styles.Warn : (Style?)null;

    private static string Days(TimeSpan span)
    {
        var days = (int)Math.Floor(span.TotalDays);
        if (days >= 1)
        {
            return days == 1 ? "1 day" : $"{days} days";
        }

        var hours = (int)Math.Floor(span.TotalHours);
        return hours == 1 ? "1 hour" : $"{hours} hours";
    }
}
