using CrmTenancy.Application.Customers;
using CrmTenancy.Domain.Customers;
using Npgsql;
using NpgsqlTypes;

namespace CrmTenancy.RawBaseline;

/// <summary>
/// The statements the product sends for these requests, copied from its statement log (EF Core's SQL, as generated).
/// scripts/bench-raw.sh logs the product's statements for one request of each kind and stops if a copy here no
/// longer matches: keep them in step when the product's queries change.
/// </summary>
public static class ProductSql
{
    public const string SetTenant = "SELECT set_config('app.tenant_id', $1, false)";

    private const string Columns = """
        SELECT c.id AS "Id", c.name AS "Name", c.email AS "Email", c.phone AS "Phone", c.company_name AS "CompanyName", c.industry AS "Industry", c.company_size AS "CompanySize", c.website AS "Website", c.status AS "Status", c.source AS "Source", c.tags AS "Tags", c.total_revenue AS "TotalRevenue", c.last_purchase_date AS "LastPurchaseDate", c.owner_id AS "OwnerId", c.assignee_id AS "AssigneeId", c.company_id AS "CompanyId", c.shared AS "Shared", c.notes AS "Notes", (
            SELECT count(*)::int
            FROM contacts AS c0
            WHERE c0.tenant_id = $1 AND c.tenant_id = c0.tenant_id AND c.id = c0.customer_id) AS "ContactCount", c.created_at AS "CreatedAt", c.created_by AS "CreatedBy", c.updated_at AS "UpdatedAt", c.updated_by AS "UpdatedBy", c.version AS "Version"
        FROM customers AS c
        """;

    public const string CustomerById = Columns + """

        WHERE c.tenant_id = $1 AND c.tenant_id = $2 AND c.id = $3
        LIMIT 1
        """;

    public const string ListPage = Columns + """

        WHERE c.tenant_id = $1 AND c.tenant_id = $2
        ORDER BY c.name, c.id
        LIMIT $3
        """;

    public const string ListCount = """
        SELECT count(*)::int
        FROM customers AS c
        WHERE c.tenant_id = $1 AND c.tenant_id = $2
        """;

    public const string SearchPage = Columns + """

        WHERE c.tenant_id = $1 AND c.tenant_id = $2 AND c.search_text LIKE $3 ESCAPE '\'
        ORDER BY c.name, c.id
        LIMIT $4
        """;

    public const string InsertActivitySql = """
        INSERT INTO activities (id, action, actor, assignee_id, fields, from_value, occurred_at, owner_id, record_id, record_type, shared, summary, tenant_id, to_value)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
        """;

    public const string InsertCustomerSql = """
        INSERT INTO customers (id, assignee_id, company_id, company_name, company_size, created_at, created_by, email, industry, last_purchase_date, name, notes, owner_id, phone, search_text, shared, source, status, tags, tenant_id, total_revenue, updated_at, updated_by, version, website)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25)
        """;

    public const string InsertOutboxSql = """
        INSERT INTO outbox_messages (id, attempts, committed_at, dead_at, last_error, next_attempt_at, occurred_at, payload, position, processed_at, sequence, tenant_id, type)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
        """;

    /// <summary>Every statement above, for the comparison with the product's log.</summary>
    public static IEnumerable<string> All => [SetTenant, CustomerById, ListPage, ListCount, SearchPage, InsertActivitySql, InsertCustomerSql, InsertOutboxSql];

    public static CustomerDto ReadCustomer(NpgsqlDataReader r) => new()
    {
        Id = r.GetGuid(0),
        Name = r.GetString(1),
        Email = r.IsDBNull(2) ? null : r.GetString(2),
        Phone = r.IsDBNull(3) ? null : r.GetString(3),
        CompanyName = r.IsDBNull(4) ? null : r.GetString(4),
        Industry = r.IsDBNull(5) ? null : r.GetString(5),
        CompanySize = r.IsDBNull(6) ? null : Enum.Parse<CompanySize>(r.GetString(6)),
        Website = r.IsDBNull(7) ? null : r.GetString(7),
        Status = Enum.Parse<CustomerStatus>(r.GetString(8)),
        Source = Enum.Parse<CustomerSource>(r.GetString(9)),
        Tags = r.GetFieldValue<string[]>(10),
        TotalRevenue = r.GetDecimal(11),
        LastPurchaseDate = r.IsDBNull(12) ? null : r.GetFieldValue<DateOnly>(12),
        OwnerId = r.IsDBNull(13) ? null : r.GetGuid(13),
        AssigneeId = r.IsDBNull(14) ? null : r.GetGuid(14),
        CompanyId = r.IsDBNull(15) ? null : r.GetGuid(15),
        Shared = r.GetBoolean(16),
        Notes = r.IsDBNull(17) ? null : r.GetString(17),
        ContactCount = r.GetInt32(18),
        CreatedAt = r.GetFieldValue<DateTimeOffset>(19),
        CreatedBy = r.IsDBNull(20) ? null : r.GetString(20),
        UpdatedAt = r.IsDBNull(21) ? null : r.GetFieldValue<DateTimeOffset>(21),
        UpdatedBy = r.IsDBNull(22) ? null : r.GetString(22),
        Version = r.GetInt32(23),
    };

    public static NpgsqlBatchCommand InsertCustomer(Customer c, Guid tenant, DateTimeOffset now, string actor) => new(InsertCustomerSql)
    {
        Parameters =
        {
            new NpgsqlParameter<Guid> { TypedValue = c.Id }, Nullable(c.AssigneeId, NpgsqlDbType.Uuid), Nullable(c.CompanyId, NpgsqlDbType.Uuid),
            Nullable(c.CompanyName, NpgsqlDbType.Varchar),
            Nullable(c.CompanySize?.ToString(), NpgsqlDbType.Varchar), new NpgsqlParameter<DateTimeOffset> { TypedValue = now },
            new NpgsqlParameter<string> { TypedValue = actor }, Nullable(c.Email, NpgsqlDbType.Varchar), Nullable(c.Industry, NpgsqlDbType.Varchar),
            Nullable(c.LastPurchaseDate, NpgsqlDbType.Date), new NpgsqlParameter<string> { TypedValue = c.Name }, Nullable(c.Notes, NpgsqlDbType.Varchar),
            Nullable(c.OwnerId, NpgsqlDbType.Uuid), Nullable(c.Phone, NpgsqlDbType.Varchar), new NpgsqlParameter<string> { TypedValue = c.SearchText },
            new NpgsqlParameter<bool> { TypedValue = c.Shared }, new NpgsqlParameter<string> { TypedValue = c.Source.ToString() }, new NpgsqlParameter<string> { TypedValue = c.Status.ToString() },
            new NpgsqlParameter<string[]> { TypedValue = c.Tags }, new NpgsqlParameter<Guid> { TypedValue = tenant },
            new NpgsqlParameter<decimal> { TypedValue = c.TotalRevenue }, Nullable(null, NpgsqlDbType.TimestampTz), Nullable(null, NpgsqlDbType.Varchar),
            new NpgsqlParameter<int> { TypedValue = 1 }, Nullable(c.Website, NpgsqlDbType.Varchar),
        },
    };

    /// <summary>The customer's "created" entry on the activity timeline, as the product's unit of work writes it.</summary>
    public static NpgsqlBatchCommand InsertCreatedActivity(Customer c, Guid tenant, DateTimeOffset now, string actor) => new(InsertActivitySql)
    {
        Parameters =
        {
            new NpgsqlParameter<Guid> { TypedValue = Guid.CreateVersion7() }, new NpgsqlParameter<string> { TypedValue = "created" },
            new NpgsqlParameter<string> { TypedValue = actor }, Nullable(c.AssigneeId, NpgsqlDbType.Uuid),
            new NpgsqlParameter<string[]> { TypedValue = [] }, Nullable(null, NpgsqlDbType.Varchar), new NpgsqlParameter<DateTimeOffset> { TypedValue = now },
            Nullable(c.OwnerId, NpgsqlDbType.Uuid), new NpgsqlParameter<Guid> { TypedValue = c.Id }, new NpgsqlParameter<string> { TypedValue = "customer" },
            new NpgsqlParameter<bool> { TypedValue = c.Shared }, new NpgsqlParameter<string> { TypedValue = $"Customer {c.Name} created" },
            new NpgsqlParameter<Guid> { TypedValue = tenant }, Nullable(null, NpgsqlDbType.Varchar),
        },
    };

    public static NpgsqlBatchCommand InsertCreatedEvent(Customer c, Guid tenant, DateTimeOffset now) => new(InsertOutboxSql)
    {
        Parameters =
        {
            new NpgsqlParameter<Guid> { TypedValue = Guid.CreateVersion7() }, new NpgsqlParameter<int> { TypedValue = 0 },
            Nullable(null, NpgsqlDbType.TimestampTz), Nullable(null, NpgsqlDbType.TimestampTz), Nullable(null, NpgsqlDbType.Text),
            Nullable(null, NpgsqlDbType.TimestampTz), new NpgsqlParameter<DateTimeOffset> { TypedValue = now },
            new NpgsqlParameter { Value = $$"""{"tenantId": "{{tenant}}", "customerId": "{{c.Id}}"}""", NpgsqlDbType = NpgsqlDbType.Jsonb },
            new NpgsqlParameter<int> { TypedValue = 1 }, Nullable(null, NpgsqlDbType.TimestampTz), Nullable(null, NpgsqlDbType.Bigint),
            new NpgsqlParameter<Guid> { TypedValue = tenant }, new NpgsqlParameter<string> { TypedValue = "CustomerCreated" },
        },
    };

    public static CustomerDto Answer(Customer c, DateTimeOffset now, string actor) => new()
    {
        Id = c.Id, Name = c.Name, Status = c.Status, Source = c.Source, Tags = c.Tags, TotalRevenue = c.TotalRevenue,
        OwnerId = c.OwnerId, AssigneeId = c.AssigneeId, CreatedAt = now, CreatedBy = actor, Version = 1,
    };

    private static NpgsqlParameter Nullable(object? value, NpgsqlDbType type) => new() { Value = value ?? DBNull.Value, NpgsqlDbType = type };
}
