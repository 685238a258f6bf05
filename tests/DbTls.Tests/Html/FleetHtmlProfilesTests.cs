using System.Globalization;
using System.Text.RegularExpressions;
using DbTls.Fleet;
using DbTls.Reports;
using DbTls.Reports.Html;

namespace DbTls.Tests.Html;

/// <summary>
/// The HTML report's profile compliance by group: each cell counts the group's targets that meet the profile,
/// with expected counts worked out by hand from the reports given (not from the output).
/// </summary>
public sealed partial class FleetHtmlProfilesTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private static FleetRecord Record(string name, string group, string protection, string? tls, int daysLeft) => new(name, group, new CheckReport
    {
        Protection = protection,
        Tls = tls is null ? null : new TlsReport { Protocol = tls, Certificates = [new CertificateReport { Subject = "CN=" + name, NotAfter = Now.AddDays(daysLeft) }] },
    });

    [GeneratedRegex("data-count=\"profile:([^:\"]+):([^\"]+)\">(\\d+)<")]
    private static partial Regex Cell();

    [Fact]
    public void Each_groups_cells_count_the_targets_that_meet_each_profile()
    {
        FleetRecord[] records =
        [
            Record("a", "orders", ProtectionLevels.Verified, "TLSv1.3", 400),
            Record("b", "orders", ProtectionLevels.Encrypted, "TLSv1.2", 10),
            Record("c", "orders", ProtectionLevels.Verified, "TLSv1.1", 90),
            Record("d", "billing", ProtectionLevels.None, null, 0),
        ];

        var html = FleetHtmlReport.Render(records, Now);
        var cells = Cell().Matches(html).ToDictionary(m => $"{m.Groups[1].Value}:{m.Groups[2].Value}", m => int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture));

        Assert.Contains("Profile compliance by group", html, StringComparison.Ordinal);
        Assert.Equal(2, cells["orders:verified"]);
        Assert.Equal(0, cells["billing:verified"]);
        Assert.Equal(2, cells["orders:min-tls:1.2"]);
        Assert.Equal(0, cells["billing:min-tls:1.2"]);
        Assert.Equal(2, cells["orders:no-expiry-within:30d"]);
        Assert.Equal(0, cells["billing:no-expiry-within:30d"]);
        Assert.True(cells.ContainsKey("orders:verify-full-everywhere"));
    }
}
