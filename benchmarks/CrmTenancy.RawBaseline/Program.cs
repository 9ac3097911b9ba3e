using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using CrmTenancy.Application.Common.Paging;
using CrmTenancy.Application.Customers;
using CrmTenancy.Domain.Customers;
using CrmTenancy.Infrastructure.Identity;
using CrmTenancy.Infrastructure.Persistence;
using CrmTenancy.RawBaseline;
using Npgsql;

// The raw baseline: the same database, role, per-connection tenant setting, per-request token check (the product's
// own SubjectCheck) and statements as the product sends for four requests, on plain Npgsql, answering the same JSON.
// What it leaves out is the product's in-process work: routing through the whole middleware pipeline, the token's
// signature and claims validation, EF Core, MediatR and its behaviours. Its statements are copies of the product's
// (ProductSql); scripts/bench-raw.sh compares them with what the product sends before it measures.
if (args.Contains("--print-sql"))
{
    // For scripts/bench-raw.sh: the copies, one per record (NUL-separated), to compare with the product's log.
    Console.Write(string.Join('\0', ProductSql.All));
    return;
}
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var connections = DatabaseConnections.From(builder.Configuration);
var source = NpgsqlDataSource.Create(connections.App);
var platform = NpgsqlDataSource.Create(DatabaseConnections.WithAutoPrepare(connections.Platform));
var json = new JsonSerializerOptions(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
var app = builder.Build();

app.MapGet("/api/customers/{id:guid}", async (Guid id, HttpContext http) =>
{
    if (await CheckedConnectionAsync(http) is not { } opened)
        return Results.Unauthorized();
    await using var connection = opened.Connection;
    await using var command = new NpgsqlCommand(ProductSql.CustomerById, connection)
        { Parameters = { Uuid(opened.Tenant), Uuid(opened.Tenant), Uuid(id) } };
    await using var reader = await command.ExecuteReaderAsync(http.RequestAborted);
    if (!await reader.ReadAsync(http.RequestAborted))
        return Results.NotFound();
    var customer = ProductSql.ReadCustomer(reader);
    http.Response.Headers.ETag = $"\"{customer.Version}\"";
    return Results.Json(customer, json);
});

app.MapGet("/api/customers", async (HttpContext http, int? pageSize, string? search) =>
{
    if (await CheckedConnectionAsync(http) is not { } opened)
        return Results.Unauthorized();
    await using var connection = opened.Connection;
    var size = pageSize ?? 25;
    var searching = !string.IsNullOrWhiteSpace(search);
    var items = new List<CustomerDto>(size + 1);
    await using (var page = new NpgsqlCommand(searching ? ProductSql.SearchPage : ProductSql.ListPage, connection))
    {
        page.Parameters.Add(Uuid(opened.Tenant));
        page.Parameters.Add(Uuid(opened.Tenant));
        if (searching)
            page.Parameters.Add(new NpgsqlParameter<string> { TypedValue = CrmTenancy.Application.Common.Specifications.TextSearch.Pattern(search!) });
        // Like the product: one row more than the page, which says whether another page follows.
        page.Parameters.Add(new NpgsqlParameter<int> { TypedValue = size + 1 });
        await using var reader = await page.ExecuteReaderAsync(http.RequestAborted);
        while (await reader.ReadAsync(http.RequestAborted))
            items.Add(ProductSql.ReadCustomer(reader));
    }
    // Like the product: a plain list past its first page is counted; a search is not (docs/decisions/0024).
    var result = await PagedResult<CustomerDto>.FromRowsAsync(items, 0, size, async () =>
    {
        if (searching)
            return null;
        await using var count = new NpgsqlCommand(ProductSql.ListCount, connection) { Parameters = { Uuid(opened.Tenant), Uuid(opened.Tenant) } };
        return (int)(await count.ExecuteScalarAsync(http.RequestAborted))!;
    });
    return Results.Json(result, json);
});

app.MapPost("/api/customers", async (HttpContext http) =>
{
    var body = await JsonSerializer.DeserializeAsync<CreateBody>(http.Request.Body, json, http.RequestAborted);
    if (body is null || string.IsNullOrWhiteSpace(body.Name))
        return Results.BadRequest();
    // Like the product: a request with a body checks its token on the platform role, then opens its own connection.
    if (await CheckedConnectionAsync(http, inBatch: false) is not { } opened)
        return Results.Unauthorized();
    await using var connection = opened.Connection;
    var customer = Customer.Create(opened.Tenant, new CustomerDetails(body.Name), body.Source ?? CustomerSource.Other, null);
    var now = DateTimeOffset.UtcNow;
    await using var transaction = await connection.BeginTransactionAsync(http.RequestAborted);
    await using (var batch = new NpgsqlBatch(connection, transaction))
    {
        batch.BatchCommands.Add(ProductSql.InsertCreatedActivity(customer, opened.Tenant, now, opened.Actor));
        batch.BatchCommands.Add(ProductSql.InsertCustomer(customer, opened.Tenant, now, opened.Actor));
        batch.BatchCommands.Add(ProductSql.InsertCreatedEvent(customer, opened.Tenant, now));
        await batch.ExecuteNonQueryAsync(http.RequestAborted);
    }
    await transaction.CommitAsync(http.RequestAborted);
    return Results.Json(ProductSql.Answer(customer, now, opened.Actor), json, statusCode: StatusCodes.Status201Created);
});

app.Run();
return;

static NpgsqlParameter<Guid> Uuid(Guid value) => new() { TypedValue = value };

// The bearer token's claims, read without checking its signature (the product's validation is what the baseline
// leaves out), then the product's per-request check in the batch that sets the tenant, as the product sends it.
async Task<Opened?> CheckedConnectionAsync(HttpContext http, bool inBatch = true)
{
    string? header = http.Request.Headers.Authorization;
    if (header is null || !header.StartsWith("Bearer ", StringComparison.Ordinal) || BearerClaims.Read(header[7..]) is not { TenantId: { } tenant } claims
        || SubjectCheck.For(claims) is not { } check)
        return null;
    if (!inBatch)
    {
        await using (var command = platform.CreateCommand(check.Sql))
        {
            command.Parameters.AddRange(check.Parameters());
            await using var reader = await command.ExecuteReaderAsync(http.RequestAborted);
            if (await check.ReadAsync(reader, http.RequestAborted) is null)
                return null;
        }
        var own = await source.OpenConnectionAsync(http.RequestAborted);
        await using (var set = new NpgsqlCommand(ProductSql.SetTenant, own) { Parameters = { new NpgsqlParameter<string> { TypedValue = tenant.ToString() } } })
            await set.ExecuteNonQueryAsync(http.RequestAborted);
        return new Opened(own, tenant, claims.IsUser ? $"user:{claims.Subject}" : $"client:{claims.ClientId}");
    }
    var connection = await source.OpenConnectionAsync(http.RequestAborted);
    await using (var batch = new NpgsqlBatch(connection))
    {
        batch.BatchCommands.Add(new NpgsqlBatchCommand(ProductSql.SetTenant) { Parameters = { new NpgsqlParameter<string> { TypedValue = tenant.ToString() } } });
        var checkCommand = new NpgsqlBatchCommand(check.Sql);
        checkCommand.Parameters.AddRange(check.Parameters());
        batch.BatchCommands.Add(checkCommand);
        await using var reader = await batch.ExecuteReaderAsync(http.RequestAborted);
        await reader.NextResultAsync(http.RequestAborted);
        if (await check.ReadAsync(reader, http.RequestAborted) is null)
        {
            await connection.DisposeAsync();
            return null;
        }
    }
    return new Opened(connection, tenant, claims.IsUser ? $"user:{claims.Subject}" : $"client:{claims.ClientId}");
}

internal sealed record Opened(NpgsqlConnection Connection, Guid Tenant, string Actor);

internal sealed record CreateBody(string? Name, CustomerSource? Source);

internal static class BearerClaims
{
    public static AccessTokenClaims? Read(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
            return null;
        var payload = parts[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '=');
        using var document = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload)));
        var root = document.RootElement;
        string? Text(string name) => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        if (Text("sub") is not { } subject || Text("client_id") is not { } client
            || !(Guid.TryParse(Text("oi_tkn_id"), out var id) || Guid.TryParse(Text("jti"), out id)))
            return null;
        Guid? tenant = Guid.TryParse(Text("tenant_id"), out var parsed) ? parsed : null;
        Guid? authorization = Guid.TryParse(Text("oi_au_id"), out var family) ? family : null;
        return new AccessTokenClaims(subject, client, tenant, (Text("scope") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries), id,
            authorization, Text("role"), Text("sst"));
    }
}
