using System.Text.Json;
using CrmTenancy.Application.Privacy;
using CrmTenancy.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CrmTenancy.Infrastructure.Privacy;

/// <summary>
/// A person's data read and erased on the request's own connection: the application role with the tenant set, so
/// row-level security shows nothing of another tenant whatever a statement asks. Rows are read as JSON the database
/// builds (<c>to_jsonb</c>, internal columns left out) and written to the output as they arrive.
/// </summary>
public sealed class PersonalData(CrmDbContext db) : IPersonalData
{
    // $1 the user's id, $2 the user as the audit columns name them ("user:{id}").
    private const string Mine = "t.owner_id = $1 OR t.assignee_id = $1 OR t.created_by = $2";

    private static readonly (string Section, string Sql)[] Sections =
    [
        ("customers", $"SELECT (to_jsonb(t) - 'search_text')::text FROM customers t WHERE {Mine} ORDER BY t.created_at, t.id"),
        ("contacts", $"SELECT (to_jsonb(t) - 'normalized_email')::text FROM contacts t WHERE {Mine} ORDER BY t.created_at, t.id"),
        ("leads", $"SELECT (to_jsonb(t) - 'search_text' - 'normalized_email')::text FROM leads t WHERE {Mine} ORDER BY t.created_at, t.id"),
        ("activities", "SELECT to_jsonb(t)::text FROM activities t WHERE t.actor = $2 OR t.owner_id = $1 OR t.assignee_id = $1 ORDER BY t.occurred_at, t.id"),
        ("calls", $"SELECT to_jsonb(t)::text FROM calls t WHERE {Mine} ORDER BY t.created_at, t.id"),
        ("conversations", $"""
            SELECT (to_jsonb(t) || jsonb_build_object('messages', (
                SELECT coalesce(jsonb_agg(to_jsonb(m) - 'search_text' ORDER BY m.sequence), '[]'::jsonb)
                FROM conversation_messages m WHERE m.tenant_id = t.tenant_id AND m.conversation_id = t.id)))::text
            FROM conversations t WHERE {Mine} ORDER BY t.created_at, t.id
            """),
        ("emailTemplates", "SELECT (to_jsonb(t) - 'normalized_name')::text FROM email_templates t WHERE t.created_by = $2 ORDER BY t.created_at, t.id"),
        ("workflows", "SELECT (to_jsonb(t) - 'normalized_name' - 'webhook_secret')::text FROM workflows t WHERE t.created_by = $2 ORDER BY t.created_at, t.id"),
    ];

    private const string Account = """
        SELECT (to_jsonb(t) - 'password_hash' - 'security_stamp' - 'normalized_email' - 'access_failed_count' - 'lockout_end')::text
        FROM users t WHERE t.id = $1
        """;

    public async Task WriteMyDataAsync(Guid userId, Stream output, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            await using var writer = new Utf8JsonWriter(output);
            writer.WriteStartObject();
            writer.WriteString("exportedAt", DateTimeOffset.UtcNow);
            writer.WritePropertyName("account");
            var account = await ReadRowsAsync(connection, Account, userId, null, cancellationToken).FirstOrDefaultAsync(cancellationToken);
            if (account is null)
                writer.WriteNullValue();
            else
                writer.WriteRawValue(account, skipInputValidation: true);
            foreach (var (section, sql) in Sections)
            {
                writer.WriteStartArray(section);
                var rows = 0;
                await foreach (var row in ReadRowsAsync(connection, sql, userId, $"user:{userId}", cancellationToken))
                {
                    writer.WriteRawValue(row, skipInputValidation: true);
                    if (++rows % 200 == 0)
                        await writer.FlushAsync(cancellationToken);
                }
                writer.WriteEndArray();
                await writer.FlushAsync(cancellationToken);
            }
            writer.WriteEndObject();
            await writer.FlushAsync(cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async IAsyncEnumerable<string> ReadRowsAsync(NpgsqlConnection connection, string sql, Guid userId, string? actor,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = userId });
        if (actor is not null)
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = actor });
        await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            yield return reader.GetString(0);
    }

    public async Task<int> RedactTracesAsync(IReadOnlyCollection<Guid> contactIds, IReadOnlyCollection<Guid> leadIds, IReadOnlyCollection<string> names,
        CancellationToken cancellationToken)
    {
        var contacts = contactIds.ToArray();
        var leads = leadIds.ToArray();
        // A name is matched as written in a summary ("Call with Ada Lovelace"), its LIKE wildcards escaped.
        var patterns = names.Where(n => n.Trim().Length >= 3)
            .Select(n => "%" + n.Trim().Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_") + "%").ToArray();
        const string Theirs = "(contact_id = ANY({0}) OR lead_id = ANY({1}))";
        var changed = 0;
        changed += await db.Database.ExecuteSqlRawAsync("""
            UPDATE conversation_messages m SET text = '[erased]'
            FROM conversations c WHERE c.tenant_id = m.tenant_id AND c.id = m.conversation_id AND (c.contact_id = ANY({0}) OR c.lead_id = ANY({1}))
            """, [contacts, leads], cancellationToken);
        changed += await db.Database.ExecuteSqlRawAsync($"UPDATE conversations SET subject = NULL WHERE {Theirs} AND subject IS NOT NULL",
            [contacts, leads], cancellationToken);
        changed += await db.Database.ExecuteSqlRawAsync(
            $"UPDATE calls SET notes = NULL, recording_url = NULL WHERE {Theirs} AND (notes IS NOT NULL OR recording_url IS NOT NULL)",
            [contacts, leads], cancellationToken);
        changed += await db.Database.ExecuteSqlRawAsync($$"""
            UPDATE activities SET summary = 'Erased', fields = ARRAY[]::character varying[], from_value = NULL, to_value = NULL
            WHERE record_id = ANY({0}) OR record_id = ANY({1})
               OR record_id IN (SELECT id FROM calls WHERE {{Theirs}}) OR record_id IN (SELECT id FROM conversations WHERE {{Theirs}})
               OR summary ILIKE ANY({2}) OR from_value ILIKE ANY({2}) OR to_value ILIKE ANY({2})
            """, [contacts, leads, patterns], cancellationToken);
        return changed;
    }
}
