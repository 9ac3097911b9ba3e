using Microsoft.Playwright;

namespace CrmTenancy.EndToEndTests.Infrastructure;

/// <summary>
/// Debian's chromium driven by Playwright (Playwright's own browser download is not available here).
/// A missing browser fails the test with what to install: an end-to-end test never skips silently.
/// </summary>
public static class Chromium
{
    public const string ExecutablePath = "/usr/lib/chromium/chromium";

    private static readonly string[] Arguments =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-quic",
    ];

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        Assert.True(File.Exists(ExecutablePath),
            $"Chromium is not installed at {ExecutablePath}. Install it with `apt-get install -y chromium` " +
            "(Debian/Ubuntu, as root: `apt-get update && apt-get install -y chromium`); ./build.sh --target=Test does this itself when run as root.");
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                Args = Arguments,
                Timeout = 60_000,
            });
            return (playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }
}
