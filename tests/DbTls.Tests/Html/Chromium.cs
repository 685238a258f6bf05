using DbTls.Tests.Infrastructure;

namespace DbTls.Tests.Html;

/// <summary>Debian's headless Chromium (scripts/apt-packages.txt): the DOM after scripts ran, and screenshots.</summary>
internal static class Chromium
{
    public const string Path = "/usr/bin/chromium";

    // No sandbox: tests run as root. No network is needed: the page is a local file whose CSP allows nothing remote.
    private static readonly string[] Common = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions", "--hide-scrollbars"];

    public static async Task<string> DumpDomAsync(string htmlFile)
    {
        var result = await ProcessRunner.RunAsync(Path, [.. Common, "--dump-dom", new Uri(htmlFile).AbsoluteUri], TimeSpan.FromSeconds(90));
        Assert.True(result.Succeeded, result.ToString());
        return result.Stdout;
    }

    public static async Task ScreenshotAsync(string htmlFile, string pngFile, int width = 1280, int height = 1800)
    {
        var result = await ProcessRunner.RunAsync(
            Path,
            [.. Common, $"--screenshot={pngFile}", $"--window-size={width},{height}", new Uri(htmlFile).AbsoluteUri],
            TimeSpan.FromSeconds(90));
        Assert.True(result.Succeeded && File.Exists(pngFile), result.ToString());
    }
}
