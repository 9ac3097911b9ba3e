using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using CrmTenancy.FunctionalTests.Infrastructure;
using CrmTenancy.Infrastructure.Persistence;
using CrmTenancy.Infrastructure.Tenancy;
using CrmTenancy.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CrmTenancy.FunctionalTests.Api;

/// <summary>
/// The database fails under a steady load of reads and writes, on a throw-away cluster of its own (scripts/pg.sh, mode
/// "fault"): first stopped and started again, then frozen (SIGSTOP on every server process) and thawed (SIGCONT).
/// While it is away every answer is a 503 problem with Retry-After (never a 500), each within a bound set by the
/// connection's timeouts; afterwards the API recovers by itself, without a restart. Every write answered 201 is there,
/// and every write that was answered with an error (or not at all) is retried with its Idempotency-Key: it then
/// succeeds, and each write exists exactly once, whether or not its first attempt had committed.
/// </summary>
public sealed class DatabaseFaultTests(ApiFactory factory) : ApiTest(factory)
{
    private const string Cluster = "fault";
    /// <summary>
    /// A statement that gets no answer fails after its timeout (2 s) and the wait for its cancellation (2 s more); a
    /// request meets at most two such statements before it answers 503 (its own query, after a connection opened in
    /// the meantime), so 12 s bounds it with room. Runs have seen up to 9 s.
    /// </summary>
    private static readonly TimeSpan AnswerBound = TimeSpan.FromSeconds(12);

    [Fact]
    public async Task A_stopped_and_a_frozen_database_are_503_then_recovered_and_no_write_is_lost_or_doubled()
    {
        var connection = await StartClusterAsync();
        try
        {
            // Short timeouts for the test (production defaults: 5 s to connect, 15 s per command).
            var owner = new NpgsqlConnectionStringBuilder(connection) { Timeout = 2, CommandTimeout = 2 }.ConnectionString;
            await using var host = Factory.WithWebHostBuilder(builder =>
            {
                builder.UseSetting("ConnectionStrings:Crm", owner);
                builder.UseSetting("Database:Migrate", "true");
            });
            host.StartServer(); // migrates the new cluster
            TestTenant tenant;
            await using (var db = OwnerContext(owner))
                tenant = await TestTenants.AddAsync(db, "fault");
            using var client = await ApiFactory.ClientForAsync(host, tenant);
            client.Timeout = TimeSpan.FromSeconds(30);

            var load = new Load(client);
            var running = load.RunAsync();
            await Task.Delay(TimeSpan.FromSeconds(1));
            Assert.True(load.Answers.Any(a => a.Status == HttpStatusCode.Created), "no write succeeded before the fault: " + load.Describe());

            // Stopped: refused connections.
            var port = new NpgsqlConnectionStringBuilder(connection).Port;
            load.Mark("stopped");
            await PgAsync("stop");
            await Task.Delay(TimeSpan.FromSeconds(3));
            await PgAsync("start", port);
            var stoppedRecovery = await load.RecoveryAsync("restarted");

            // Frozen: connections and statements that get no answer.
            var processes = await ServerProcessesAsync(owner);
            load.Mark("frozen");
            Signal("STOP", processes);
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(14));
            }
            finally
            {
                Signal("CONT", processes);
            }
            var frozenRecovery = await load.RecoveryAsync("thawed");
            load.Stop();
            await running;

            var during = load.Answers.Where(a => a.Phase is "stopped" or "frozen").ToList();
            TestContext.Current.TestOutputHelper?.WriteLine(
                $"{load.Describe()}; recovery after the restart {stoppedRecovery.TotalSeconds:0.0} s, after the thaw {frozenRecovery.TotalSeconds:0.0} s");
            Assert.DoesNotContain(load.Answers, a => a.Status is { } s && (int)s >= 500 && s != HttpStatusCode.ServiceUnavailable);
            Assert.All(load.Answers.Where(a => a.Status == HttpStatusCode.ServiceUnavailable), a => Assert.True(a.RetryAfter && a.Problem, a.ToString()));
            Assert.Contains(during, a => a.Status == HttpStatusCode.ServiceUnavailable);
            Assert.All(load.Answers, a => Assert.True(a.Took < AnswerBound, $"{a} took {a.Took.TotalSeconds:0.0} s"));
            Assert.True(stoppedRecovery < TimeSpan.FromSeconds(10) && frozenRecovery < TimeSpan.FromSeconds(10), load.Describe());

            // Every write: those answered 201 are there; the others are retried with their key and then are there; once each.
            // A write whose COMMIT reached the frozen server but whose answer timed out did happen, and its answer was
            // never recorded: its retry says so (409) instead of doing it again.
            var answerLost = 0;
            foreach (var write in load.Writes.Values.Where(w => w.Status != HttpStatusCode.Created))
            {
                using var retry = await load.PostAsync(write);
                var text = await retry.Content.ReadAsStringAsync();
                if (retry.StatusCode == HttpStatusCode.Conflict && (text.Contains("idempotency-key-in-progress") || text.Contains("idempotency-answer-lost")))
                    answerLost++;
                else
                    Assert.True(retry.StatusCode == HttpStatusCode.Created, $"retry of {write.Name}: {(int)retry.StatusCode} {text}");
            }
            var names = await NamesAsync(owner);
            foreach (var write in load.Writes.Values)
                Assert.True(names.Count(n => n == write.Name) == 1, $"{write.Name} ({write.Status}) is there {names.Count(n => n == write.Name)} times");
            TestContext.Current.TestOutputHelper?.WriteLine(
                $"writes {load.Writes.Count}, answered 201 at once {load.Writes.Values.Count(w => w.Status == HttpStatusCode.Created)}, committed with the answer lost {answerLost}");
        }
        finally
        {
            await PgAsync("destroy");
        }
    }

    /// <summary>Readers and writers in a loop, each answer recorded with the phase it was sent in.</summary>
    private sealed class Load(HttpClient client)
    {
        private volatile bool _stopped;
        private volatile string _phase = "before";
        private int _next;

        public ConcurrentBag<Answer> Answers { get; } = [];
        public ConcurrentDictionary<string, Write> Writes { get; } = new();

        public void Mark(string phase) => _phase = phase;

        public void Stop() => _stopped = true;

        public Task RunAsync() => Task.WhenAll(Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
        {
            while (!_stopped)
            {
                if (worker % 2 == 0)
                {
                    var write = new Write($"Fault write {Interlocked.Increment(ref _next):D5}", Guid.NewGuid().ToString());
                    Writes[write.Name] = write;
                    write.Status = await SendAsync(() => PostAsync(write));
                }
                else
                {
                    await SendAsync(() => client.GetAsync("/api/customers?pageSize=5"));
                }
                await Task.Delay(20);
            }
        })));

        public async Task<HttpResponseMessage> PostAsync(Write write)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/customers")
            {
                Content = new StringContent($$"""{"name":"{{write.Name}}"}""", Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("Idempotency-Key", write.Key);
            return await client.SendAsync(request);
        }

        /// <summary>
        /// Marks the database back and waits until the answers sent since are 2xx again; returns the time from the mark to
        /// the first 2xx answer.
        /// </summary>
        public async Task<TimeSpan> RecoveryAsync(string phase)
        {
            Mark(phase);
            var back = DateTimeOffset.UtcNow;
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromSeconds(30))
            {
                var answers = Answers.Where(a => a.Phase == phase).OrderBy(a => a.At).ToList();
                if (answers.Count >= 4 && answers.TakeLast(4).All(a => a.Status is { } s && (int)s < 300))
                    return answers.Where(a => a.Status is { } s && (int)s < 300).Min(a => a.At + a.Took) - back;
                await Task.Delay(100);
            }
            return TimeSpan.MaxValue;
        }

        private async Task<HttpStatusCode?> SendAsync(Func<Task<HttpResponseMessage>> send)
        {
            var phase = _phase;
            var at = DateTimeOffset.UtcNow;
            var clock = Stopwatch.StartNew();
            try
            {
                using var response = await send();
                Answers.Add(new Answer(phase, at, clock.Elapsed, response.StatusCode, response.Headers.RetryAfter is not null,
                    response.Content.Headers.ContentType?.MediaType == "application/problem+json"));
                return response.StatusCode;
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                Answers.Add(new Answer(phase, at, clock.Elapsed, null, false, false));
                return null;
            }
        }

        public string Describe() => string.Join(", ", Answers.GroupBy(a => (a.Phase, a.Status))
            .OrderBy(g => g.Key.Phase, StringComparer.Ordinal).Select(g => $"{g.Key.Phase} {(g.Key.Status is { } s ? (int)s : 0)}x{g.Count()}"));
    }

    private sealed record Answer(string Phase, DateTimeOffset At, TimeSpan Took, HttpStatusCode? Status, bool RetryAfter, bool Problem);

    private sealed class Write(string name, string key)
    {
        public string Name { get; } = name;
        public string Key { get; } = key;
        public HttpStatusCode? Status { get; set; }
    }

    private static async Task<List<string>> NamesAsync(string owner)
    {
        await using var db = OwnerContext(owner);
        return await db.Database.SqlQuery<string>($"SELECT name AS \"Value\" FROM customers").ToListAsync();
    }

    /// <summary>Unpooled: the test's own connections must not be ones the restart ended.</summary>
    private static CrmDbContext OwnerContext(string owner) =>
        new(new DbContextOptionsBuilder<CrmDbContext>()
            .UseCrmPostgres(new NpgsqlConnectionStringBuilder(owner) { Pooling = false }.ConnectionString).Options);

    /// <summary>The postmaster (the parent of a backend) and all its children: every process that serves the cluster.</summary>
    private static async Task<List<int>> ServerProcessesAsync(string owner)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(owner) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        var postmaster = ParentOf(connection.ProcessID);
        var children = Directory.GetDirectories("/proc")
            .Select(path => int.TryParse(Path.GetFileName(path), out var pid) ? pid : -1)
            .Where(pid => pid > 0)
            .Where(pid => ParentOf(pid) == postmaster);
        return [postmaster, .. children];
    }

    private static int ParentOf(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("PPid:", StringComparison.Ordinal));
            return line is null ? -1 : int.Parse(line["PPid:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return -1;
        }
    }

    private static void Signal(string signal, IEnumerable<int> processes)
    {
        foreach (var pid in processes)
        {
            using var kill = Process.Start(new ProcessStartInfo("kill", $"-{signal} {pid}") { RedirectStandardError = true })!;
            kill.WaitForExit();
        }
    }

    /// <summary>
    /// Starts the cluster on a port the system has just handed out as free (pg.sh's own choice only skips ports where
    /// another PostgreSQL answers; a client's ephemeral port may hold one too), trying another if it is taken meanwhile.
    /// </summary>
    private static async Task<string> StartClusterAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            try
            {
                return await PgAsync("start", port);
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                await PgAsync("destroy");
            }
        }
    }

    /// <summary>Runs scripts/pg.sh for the fault cluster; returns the connection string it prints on start.</summary>
    private static async Task<string> PgAsync(string command, int? port = null)
    {
        var start = new ProcessStartInfo("bash", ["scripts/pg.sh", command, Cluster])
        {
            WorkingDirectory = RepositoryRoot(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (port is { } fixedPort)
            start.Environment["PGPORT"] = fixedPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"scripts/pg.sh {command} {Cluster} failed: {error}");
        return output.Split('\n').FirstOrDefault(line => line.StartsWith("Host=", StringComparison.Ordinal)) ?? "";
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "build.cake")))
            directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("The repository root (build.cake) was not found.");
    }
}
