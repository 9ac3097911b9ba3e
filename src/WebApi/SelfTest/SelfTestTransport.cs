using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace CrmTenancy.WebApi.SelfTest;

/// <summary>
/// How the isolation self-test reaches this instance's own HTTP pipeline: a handler and the address it calls. The
/// product calls its own listening address; a host without sockets (the tests' in-memory server) registers its own.
/// </summary>
public interface ISelfTestTransport
{
    Uri BaseAddress { get; }

    HttpMessageHandler CreateHandler();
}

/// <summary>
/// This instance's first listening address (<c>SelfTest:BaseAddress</c> overrides it), with a wildcard host (<c>+</c>,
/// <c>*</c>, <c>0.0.0.0</c>, <c>[::]</c>) replaced by loopback, so the requests never leave the machine. Plain HTTP is
/// preferred when the instance listens on both.
/// </summary>
public sealed class ServerAddressTransport(IServer server, IConfiguration configuration) : ISelfTestTransport
{
    public const string BaseAddressSetting = "SelfTest:BaseAddress";

    public Uri BaseAddress => configuration[BaseAddressSetting] is { Length: > 0 } configured
        ? new Uri(configured)
        : Loopback(server.Features.Get<IServerAddressesFeature>()?.Addresses
                       .OrderBy(a => a.StartsWith("https:", StringComparison.OrdinalIgnoreCase) ? 1 : 0).FirstOrDefault()
                   ?? throw new InvalidOperationException($"This instance listens on no address; set {BaseAddressSetting}."));

    public HttpMessageHandler CreateHandler() => new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(1),
    };

    public static Uri Loopback(string address)
    {
        var builder = new UriBuilder(address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal));
        if (builder.Host is "localhost" or "0.0.0.0" or "[::]" or "::")
            builder.Host = IPAddress.Loopback.ToString();
        return builder.Uri;
    }
}

/// <summary>A browser's cookie jar for the self-test's sign-in: cookies set by an answer go with the next requests.</summary>
public sealed class CookieJarHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private readonly CookieContainer _cookies = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri!;
        if (_cookies.GetCookieHeader(uri) is { Length: > 0 } header)
            request.Headers.Add("Cookie", header);
        var response = await base.SendAsync(request, cancellationToken);
        if (response.Headers.TryGetValues("Set-Cookie", out var values))
        {
            foreach (var value in values)
                _cookies.SetCookies(uri, value);
        }
        return response;
    }
}
