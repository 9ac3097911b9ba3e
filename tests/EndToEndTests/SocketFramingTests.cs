using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using CrmTenancy.EndToEndTests.Infrastructure;

namespace CrmTenancy.EndToEndTests;

/// <summary>
/// What only a real socket can send: HTTP framing the in-memory test server never sees. A chunked body whose trailer
/// holds a NUL byte is a 400 that changes nothing; a client that sends its headers too slowly loses its connection
/// (Kestrel's request header timeout, docs/reliability.md).
/// </summary>
public sealed class SocketFramingTests(E2EServer server)
{
    [Fact]
    public async Task A_chunked_body_with_a_NUL_in_its_trailer_is_a_400_and_creates_nothing()
    {
        var token = await TokenAsync();
        var body = """{"name":"Trailer with NUL"}""";
        var request =
            "POST /api/customers HTTP/1.1\r\n" +
            $"Host: 127.0.0.1:{server.Port}\r\n" +
            $"Authorization: Bearer {token}\r\n" +
            "Content-Type: application/json\r\n" +
            "Transfer-Encoding: chunked\r\n" +
            "Connection: close\r\n\r\n" +
            $"{Encoding.UTF8.GetByteCount(body):x}\r\n{body}\r\n" +
            "0\r\nX-Checksum: a\0b\r\n\r\n";

        var answer = await SendRawAsync(Encoding.UTF8.GetBytes(request), TimeSpan.FromSeconds(10));

        Assert.StartsWith("HTTP/1.1 400", answer);
        using var client = server.CreateSocketClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        var page = await client.GetFromJsonAsync<JsonElement>("api/customers?search=trailer");
        Assert.Equal(0, page.GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task A_client_that_sends_its_headers_too_slowly_is_disconnected()
    {
        using var socket = new TcpClient();
        await socket.ConnectAsync(IPAddress.Loopback, server.Port);
        var stream = socket.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET /health/live HTTP/1.1\r\nHost: 127.0.0.1:{server.Port}\r\n"));

        // The rest of the headers never comes: the server gives up after its 10 s header timeout.
        var clock = Stopwatch.StartNew();
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        int read;
        var received = new StringBuilder();
        try
        {
            while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
                received.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
        catch (IOException)
        {
            // A reset is a disconnection too.
        }

        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(25));
        Assert.True(received.Length == 0 || received.ToString().StartsWith("HTTP/1.1 408", StringComparison.Ordinal), received.ToString());
    }

    private async Task<string> TokenAsync()
    {
        using var client = server.CreateSocketClient();
        using var response = await client.PostAsync("connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = "acme-integration", ["client_secret"] = "acme-demo-secret-change-me",
        }));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
    }

    private async Task<string> SendRawAsync(byte[] request, TimeSpan timeout)
    {
        using var socket = new TcpClient();
        await socket.ConnectAsync(IPAddress.Loopback, server.Port);
        var stream = socket.GetStream();
        await stream.WriteAsync(request);
        using var reading = new CancellationTokenSource(timeout);
        var received = new MemoryStream();
        var buffer = new byte[4096];
        int read;
        while ((read = await stream.ReadAsync(buffer, reading.Token)) > 0)
            received.Write(buffer, 0, read);
        return Encoding.UTF8.GetString(received.ToArray());
    }
}
