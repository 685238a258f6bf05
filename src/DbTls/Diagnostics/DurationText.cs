using System.Globalization;

namespace DbTls.Diagnostics;

/// <summary>A time limit as findings state it, e.g. <c>2.5 s</c>; culture-free.</summary>
internal static class DurationText
{
    public static string Seconds(TimeSpan timeout) =>
        timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";
}
