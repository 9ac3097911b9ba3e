using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;
using CrmTenancy.Domain.Users;
using CrmTenancy.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CrmTenancy.FunctionalTests.Events;

/// <summary>
/// The change feed over Server-Sent Events: a change made through one instance reaches a subscriber of another, another
/// tenant's stream never carries it, a reconnect with Last-Event-ID misses nothing, owner-only members see only what they
/// may, and bad input is a 400 problem.
/// </summary>
public sealed class ChangeFeedTests(ApiFactory factory) : ApiTest(factory)
{
    private WebApplicationFactory<Program> _second = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        // A second instance of the product on the same database, with a short heartbeat.
        _second = Factory.WithWebHostBuilder(builder => builder.UseSetting(CrmTenancy.WebApi.Endpoints.Events.HeartbeatSetting, "1"));
    }

    public override async ValueTask DisposeAsync()
    {
        await _second.DisposeAsync();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task A_change_made_through_one_instance_reaches_a_subscriber_of_another_and_never_another_tenant()
    {
        using var onSecond = await ApiFactory.ClientForAsync(_second, TenantA);
        using var bOnSecond = await ApiFactory.ClientForAsync(_second, TenantB);
        await using var streamA = await SseStream.OpenAsync(onSecond, "/api/events");
        await using var streamB = await SseStream.OpenAsync(bOnSecond, "/api/events");

        var customer = (await CreateCustomerAsync(A, new { name = "Through the first instance" })).GetProperty("id").GetString();
        var change = await streamA.NextAsync(e => e.Data.GetProperty("recordId").GetString() == customer);

        Assert.Equal(("customer", "created", 1), (change.Data.GetProperty("recordType").GetString(), change.Data.GetProperty("action").GetString(),
            change.Data.GetProperty("version").GetInt32()));
        Assert.Equal($"client:{TenantA.ClientId}", change.Data.GetProperty("actor").GetString());
        Assert.Equal(change.Data.GetProperty("sequence").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture), change.Id);

        var other = (await CreateCustomerAsync(B, new { name = "B's own" })).GetProperty("id").GetString();
        var seenByB = await streamB.NextAsync(e => e.Data.GetProperty("recordId").GetString() == other);
        Assert.Equal("customer", seenByB.Data.GetProperty("recordType").GetString());
        Assert.DoesNotContain(streamB.Received, e => e.Data.GetProperty("recordId").GetString() == customer);
        Assert.True(streamB.Heartbeats > 0 || streamB.Received.Count > 0);
    }

    [Fact]
    public async Task A_reconnect_with_last_event_id_misses_nothing_and_a_filter_keeps_to_its_types()
    {
        await using (var first = await SseStream.OpenAsync(A, "/api/events"))
        {
            var customer = (await CreateCustomerAsync(A, new { name = "Before the break" })).GetProperty("id").GetString();
            var seen = await first.NextAsync(e => e.Data.GetProperty("recordId").GetString() == customer);
            var lastId = seen.Id;

            await first.DisposeAsync();
            var missed = new List<string>();
            for (var i = 0; i < 3; i++)
                missed.Add((await CreateCustomerAsync(A, new { name = $"During the break {i}" })).GetProperty("id").GetString()!);
            using (var lead = await A.PostAsJsonAsync("/api/leads", new { firstName = "Not", lastName = "A customer", email = "lead@a.example" }))
                Assert.Equal(HttpStatusCode.Created, lead.StatusCode);
            Factory.WaitForOutbox();

            await using var resumed = await SseStream.OpenAsync(A, "/api/events?types=customer", lastId);
            foreach (var id in missed)
                Assert.Equal(id, (await resumed.NextAsync(_ => true)).Data.GetProperty("recordId").GetString());
            Assert.All(resumed.Received, e => Assert.Equal("customer", e.Data.GetProperty("recordType").GetString()));
            Assert.Equal(resumed.Received.Select(e => long.Parse(e.Id!, System.Globalization.CultureInfo.InvariantCulture)).Order(),
                resumed.Received.Select(e => long.Parse(e.Id!, System.Globalization.CultureInfo.InvariantCulture)));
        }
    }

    [Fact]
    public async Task An_owner_only_member_sees_the_events_of_their_own_records_only()
    {
        var (_, admin) = await UserAsync(TenantA, "admin@a.example", UserRole.TenantAdmin);
        using var disposeAdmin = admin;
        using (var visibility = await admin.PutAsJsonAsync("/api/tenant/settings/record-visibility", new { recordVisibility = "ownerOnly" }))
            Assert.Equal(HttpStatusCode.OK, visibility.StatusCode);
        var (_, member) = await UserAsync(TenantA, "member@a.example");
        using var disposeMember = member;
        await using var stream = await SseStream.OpenAsync(member, "/api/events");

        var notMine = (await CreateCustomerAsync(admin, new { name = "The admin's" })).GetProperty("id").GetString();
        var mine = (await CreateCustomerAsync(member, new { name = "The member's" })).GetProperty("id").GetString();

        await stream.NextAsync(e => e.Data.GetProperty("recordId").GetString() == mine);
        Factory.WaitForOutbox();
        Assert.DoesNotContain(stream.Received, e => e.Data.GetProperty("recordId").GetString() == notMine);
    }

    [Fact]
    public async Task Bad_input_is_a_400_problem_and_a_quiet_stream_gets_heartbeats()
    {
        using (var unknown = await A.GetAsync("/api/events?types=customer,spaceship"))
            await AssertProblemAsync(unknown, HttpStatusCode.BadRequest, field: "types");
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/api/events"))
        {
            request.Headers.TryAddWithoutValidation("Last-Event-ID", "not-a-number");
            request.Headers.Accept.ParseAdd("text/event-stream");
            using var badId = await A.SendAsync(request);
            await AssertProblemAsync(badId, HttpStatusCode.BadRequest, field: "Last-Event-ID");
        }
        using (var anonymous = Anonymous())
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/events")).StatusCode);

        using var onSecond = await ApiFactory.ClientForAsync(_second, TenantA);
        await using var quiet = await SseStream.OpenAsync(onSecond, "/api/events");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (quiet.Heartbeats == 0 && DateTime.UtcNow < deadline)
            await Task.Delay(100);
        Assert.True(quiet.Heartbeats > 0, "No heartbeat within 10 s at a 1 s interval.");
    }

    /// <summary>An open event stream read in the background: its events as they come, and its heartbeats counted.</summary>
    private sealed class SseStream : IAsyncDisposable
    {
        public sealed record Event(string? Id, JsonElement Data);

        private readonly CancellationTokenSource _stop = new();
        private readonly Channel<Event> _events = Channel.CreateUnbounded<Event>();
        private HttpResponseMessage _response = null!;
        private Task _reading = Task.CompletedTask;

        public List<Event> Received { get; } = [];
        public int Heartbeats { get; private set; }

        public static async Task<SseStream> OpenAsync(HttpClient client, string url, string? lastEventId = null)
        {
            var stream = new SseStream();
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Accept.ParseAdd("text/event-stream");
            if (lastEventId is not null)
                request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
            stream._response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stream._stop.Token);
            Assert.Equal(HttpStatusCode.OK, stream._response.StatusCode);
            Assert.Equal("text/event-stream", stream._response.Content.Headers.ContentType?.MediaType);
            var reader = new StreamReader(await stream._response.Content.ReadAsStreamAsync(stream._stop.Token));
            // Subscribed once the server's first comment arrives: changes made after it are the stream's.
            Assert.StartsWith("retry:", await reader.ReadLineAsync(stream._stop.Token));
            stream._reading = stream.ReadAsync(reader);
            return stream;
        }

        private async Task ReadAsync(StreamReader reader)
        {
            string? id = null, data = null;
            try
            {
                while (await reader.ReadLineAsync(_stop.Token) is { } line)
                {
                    if (line.StartsWith("id: ", StringComparison.Ordinal))
                        id = line[4..];
                    else if (line.StartsWith("data: ", StringComparison.Ordinal))
                        data = line[6..];
                    else if (line == ": heartbeat")
                        Heartbeats++;
                    else if (line.Length == 0 && data is not null)
                    {
                        await _events.Writer.WriteAsync(new Event(id, JsonDocument.Parse(data).RootElement.Clone()));
                        (id, data) = (null, null);
                    }
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException)
            {
                // Closed.
            }
        }

        /// <summary>The next event that matches, within 20 s (what the outbox's settle time and a poll take, with room).</summary>
        public async Task<Event> NextAsync(Func<Event, bool> match)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                while (true)
                {
                    var next = await _events.Reader.ReadAsync(timeout.Token);
                    Received.Add(next);
                    if (match(next))
                        return next;
                }
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No matching event within 20 s; received: {string.Join(" | ", Received.Select(e => e.Data.ToString()))}");
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_stop.IsCancellationRequested)
                return;
            await _stop.CancelAsync();
            _response.Dispose();
            await _reading;
            _stop.Dispose();
        }
    }
}
