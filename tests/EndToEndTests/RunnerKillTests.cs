using System.Diagnostics;
using CrmTenancy.TestSupport;
using Npgsql;

namespace CrmTenancy.EndToEndTests;

/// <summary>
/// The workflow runner is killed (SIGKILL, a real process of the product) in the middle of its work, and another
/// instance finishes it: every step ran once (no step has two runs in one execution, none needed a second attempt),
/// every email was delivered once (one delivery per send step, one file per delivery in the pickup folder, where a
/// delivery sent again after the kill replaces its own file).
/// </summary>
public sealed class RunnerKillTests
{
    private const int Leads = 1500;

    [Fact]
    public async Task A_runner_killed_in_the_middle_leaves_every_step_run_once_and_every_email_sent_once()
    {
        await using var database = await TestDatabase.CreateAsync("runner_kill");
        var mail = Path.Combine(Path.GetTempPath(), "crm-runner-kill-" + Guid.NewGuid().ToString("N")[..8]);
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await SeedAsync(connection);

        using var first = StartRunner(database, mail);
        try
        {
            // Killed once it has done part of the work, not all of it.
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (await CountAsync(connection, "SELECT count(*) FROM workflow_step_runs WHERE state = 'Completed'") < 300)
            {
                Assert.True(DateTime.UtcNow < deadline, "The first runner did not start working within 90 s.");
                Assert.False(first.HasExited, $"The first runner exited with {(first.HasExited ? first.ExitCode : 0)}.");
                await Task.Delay(20);
            }
        }
        finally
        {
            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync();
        }
        var completedAtKill = await CountAsync(connection, "SELECT count(*) FROM workflow_step_runs WHERE state = 'Completed'");
        Assert.True(completedAtKill < Leads * 3, $"the first runner finished everything ({completedAtKill}) before it was killed");

        using var second = StartRunner(database, mail);
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(180);
            while (await CountAsync(connection, "SELECT count(*) FROM workflow_executions WHERE state <> 'Completed'") > 0
                   || await CountAsync(connection, "SELECT count(*) FROM automation_deliveries WHERE state = 'Pending'") > 0)
            {
                Assert.True(DateTime.UtcNow < deadline, "The second runner did not finish.");
                await Task.Delay(100);
            }
        }
        finally
        {
            // Killed whatever happened: a runner left behind would keep working on a dropped database.
            second.Kill(entireProcessTree: true);
            await second.WaitForExitAsync();
        }

        Assert.Equal(0, await CountAsync(connection, "SELECT count(*) FROM (SELECT 1 FROM workflow_step_runs GROUP BY execution_id, step_id HAVING count(*) > 1) d"));
        Assert.Equal(0, await CountAsync(connection, "SELECT count(*) FROM workflow_step_runs WHERE attempts <> 1"));
        Assert.Equal(Leads * 3, await CountAsync(connection, "SELECT count(*) FROM workflow_step_runs WHERE state = 'Completed'"));
        Assert.Equal(Leads, await CountAsync(connection, "SELECT count(*) FROM automation_deliveries WHERE state = 'Sent'"));
        Assert.Equal(Leads, await CountAsync(connection, "SELECT count(*) FROM leads WHERE 'welcomed' = ANY(tags)"));
        var files = Directory.GetFiles(mail, "*.eml");
        Assert.Equal(Leads, files.Length);
        Assert.Equal(Leads, files.Select(f => File.ReadLines(f).First(l => l.StartsWith("To: ", StringComparison.Ordinal))).Distinct().Count());
        Directory.Delete(mail, recursive: true);
    }

    /// <summary>One tenant with a workflow (send the welcome email, tag the lead, stop) and an execution per lead, due now.</summary>
    private static async Task SeedAsync(NpgsqlConnection connection)
    {
        const string tenant = "0195a1d2-0000-7000-8000-000000000001";
        const string template = "0195a1d2-0000-7000-8000-000000000002";
        const string workflow = "0195a1d2-0000-7000-8000-000000000003";
        var definition = $$"""
            {"trigger":{"kind":"leadCaptured"},"steps":[{"id":"send","kind":"sendEmail","next":"tag","templateId":"{{template}}"},
             {"id":"tag","kind":"addTag","next":"done","tag":"welcomed"},{"id":"done","kind":"stop"}]}
            """;
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new($"""
                    INSERT INTO tenants (id, name, slug, status, created_at, version, record_visibility, outbox_sequence, passwordless_sign_in, tag_prefix, plan_code)
                    VALUES ('{tenant}', 'Killed runner', 'killed-runner', 'Active', now(), 1, 'Shared', 0, false, 'ct-k1lledrn-', 'enterprise')
                    """),
                new($"""
                    INSERT INTO email_templates (id, tenant_id, name, normalized_name, subject, html_body, text_body, version, created_at)
                    VALUES ('{template}', '{tenant}', 'Welcome', 'WELCOME', 'Welcome', '<p>Hello</p>', 'Hello', 1, now())
                    """),
                new($$"""
                    INSERT INTO workflows (id, tenant_id, name, normalized_name, enabled, definition_version, definition, trigger_kind, template_ids, webhook_secret, created_at, version)
                    VALUES ('{{workflow}}', '{{tenant}}', 'Welcome', 'WELCOME', true, 1, '{{definition}}', 'LeadCaptured', ARRAY['{{template}}'::uuid], md5('k'), now(), 1)
                    """),
                new($"INSERT INTO workflow_versions (tenant_id, workflow_id, number, definition) VALUES ('{tenant}', '{workflow}', 1, '{definition}')"),
                new($$"""
                    INSERT INTO leads (id, tenant_id, first_name, last_name, email, normalized_email, source, tags, status, furthest_stage, captured_at, search_text, created_at, version)
                    SELECT gen_random_uuid(), '{{tenant}}', 'Lead', 'Number ' || g, 'lead' || g || '@example.com', 'LEAD' || g || '@EXAMPLE.COM', 'WebForm', '{}', 'New', 0,
                           now(), 'lead', now(), 1
                    FROM generate_series(1, {{Leads}}) g
                    """),
                new($"""
                    INSERT INTO workflow_executions (id, tenant_id, workflow_id, workflow_version, lead_id, trigger_event_id, state, current_step_id, step_count, started_at, created_at, version)
                    SELECT gen_random_uuid(), '{tenant}', '{workflow}', 1, id, gen_random_uuid(), 'Running', 'send', 1, now(), now(), 1 FROM leads WHERE tenant_id = '{tenant}'
                    """),
                new($"""
                    INSERT INTO workflow_step_runs (id, tenant_id, execution_id, step_id, sequence, kind, state, due_at, attempts, created_at)
                    SELECT gen_random_uuid(), '{tenant}', id, 'send', 1, 'SendEmail', 'Pending', now(), 0, now() FROM workflow_executions WHERE tenant_id = '{tenant}'
                    """),
            },
        };
        await batch.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>The product itself (the WebApi built next to this test), running the workflow runner every 50 ms.</summary>
    private static Process StartRunner(TestDatabase database, string mail)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "CrmTenancy.WebApi.dll"));
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["ConnectionStrings__Crm"] = database.ConnectionString;
        start.Environment["Database__Migrate"] = "false";
        start.Environment["Database__SeedDemoData"] = "false";
        start.Environment["Tokens__Issuer"] = "http://127.0.0.1";
        start.Environment["Email__PickupDirectory"] = mail;
        start.Environment["DataProtection__KeyRingPath"] = mail + "-keys";
        start.Environment["Workflows__RunnerPollMilliseconds"] = "50";
        // What the killed runner had claimed to send is free again after this (the product's default is 5 minutes).
        start.Environment["Workflows__DeliveryLeaseSeconds"] = "3";
        start.Environment["Dashboard__TallyFoldSeconds"] = "0";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        return Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
    }

    private static async Task<long> CountAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }
}
