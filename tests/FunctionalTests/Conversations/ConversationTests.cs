using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CrmTenancy.FunctionalTests.Infrastructure;

namespace CrmTenancy.FunctionalTests.Conversations;

/// <summary>
/// Conversations over HTTP with real tokens: messages appended one by one or as a transcript of thousands (all or
/// nothing), an indexed search that answers excerpts of the caller's tenant only, and another tenant that reads nothing.
/// </summary>
public sealed class ConversationTests(ApiFactory factory) : ApiTest(factory)
{
    private static async Task<JsonElement> OkAsync(Task<HttpResponseMessage> send, HttpStatusCode status = HttpStatusCode.OK)
    {
        using var response = await send;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode} {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task<string> ContactAsync(HttpClient client, string first) =>
        (await CreateContactAsync(client, new { firstName = first, lastName = "Person", phone = "+1 555 0100" })).GetProperty("id").GetString()!;

    private static async Task<string> ConversationAsync(HttpClient client, string contact, params string[] texts) =>
        (await OkAsync(client.PostAsJsonAsync("/api/conversations", new
        {
            channel = "voice",
            contactId = contact,
            subject = "Renewal call",
            messages = texts.Select((t, i) => new { speaker = i % 2 == 0 ? "agent" : "customer", direction = i % 2 == 0 ? "outbound" : "inbound", text = t }),
        }), HttpStatusCode.Created)).GetProperty("id").GetString()!;

    [Fact]
    public async Task Messages_are_kept_in_order_appended_one_by_one_or_as_a_transcript_and_searched_with_excerpts()
    {
        var contact = await ContactAsync(A, "Ada");
        var id = await ConversationAsync(A, contact, "Hello, this is Acme calling about your renewal.", "Hi! I wanted to ask about the platinum plan pricing.");

        // A time with another offset than UTC is the same instant.
        var appended = await OkAsync(A.PostAsJsonAsync($"/api/conversations/{id}/messages",
            new { messages = new[] { new { speaker = "agent", direction = "outbound", text = "Platinum is 20% off this month.", sentiment = "positive", sentAt = "2026-11-30T10:00:00+02:00" } } }));
        Assert.Equal(3, appended.GetProperty("messageCount").GetInt32());
        var transcript = Enumerable.Range(1, 5000).Select(i => new { speaker = "customer", direction = "inbound", text = $"Line {i} of the imported transcript" }).ToArray();
        Assert.Equal(5003, (await OkAsync(A.PostAsJsonAsync($"/api/conversations/{id}/messages", new { messages = transcript }))).GetProperty("messageCount").GetInt32());

        var page = await OkAsync(A.GetAsync($"/api/conversations/{id}/messages?pageSize=3"));
        Assert.Equal([1, 2, 3], page.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("sequence").GetInt32()));
        Assert.Equal("positive", page.GetProperty("items")[2].GetProperty("sentiment").GetString());
        Assert.Equal(5003, page.GetProperty("totalCount").GetInt32());

        var found = await OkAsync(A.GetAsync("/api/conversations/search?search=PLATINUM"));
        var match = Assert.Single(found.GetProperty("items").EnumerateArray());
        Assert.Equal(id, match.GetProperty("conversation").GetProperty("id").GetString());
        var excerpts = match.GetProperty("excerpts").EnumerateArray().Select(e => e.GetProperty("text").GetString()!).ToList();
        Assert.Equal(2, excerpts.Count);
        Assert.All(excerpts, e => Assert.Contains("platinum", e, StringComparison.OrdinalIgnoreCase));
        Assert.Empty((await OkAsync(A.GetAsync("/api/conversations/search?search=nowhere-to-be-found"))).GetProperty("items").EnumerateArray());
        Assert.Equal(1, (await OkAsync(A.GetAsync($"/api/conversations?contactId={contact}"))).GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task A_transcript_that_fails_half_way_writes_nothing()
    {
        var contact = await ContactAsync(A, "Ada");
        var id = await ConversationAsync(A, contact, "First line.");
        var transcript = Enumerable.Range(1, 4000).Select(i => new { speaker = "customer", direction = "inbound", text = i == 2500 ? "" : $"Line {i}" }).ToArray();

        using (var response = await A.PostAsJsonAsync($"/api/conversations/{id}/messages", new { messages = transcript }))
            await AssertProblemAsync(response, HttpStatusCode.BadRequest, field: "messages[2499].text");
        Assert.Equal(1, (await OkAsync(A.GetAsync($"/api/conversations/{id}"))).GetProperty("messageCount").GetInt32());
        Assert.Equal(1, (await OkAsync(A.GetAsync($"/api/conversations/{id}/messages"))).GetProperty("totalCount").GetInt32());
        var tooMany = Enumerable.Range(1, 5001).Select(i => new { speaker = "customer", direction = "inbound", text = "x" }).ToArray();
        using (var response = await A.PostAsJsonAsync($"/api/conversations/{id}/messages", new { messages = tooMany }))
            await AssertProblemAsync(response, HttpStatusCode.BadRequest, field: "messages");
    }

    [Fact]
    public async Task Tenant_B_cannot_read_As_transcripts_find_them_by_search_or_start_one_on_As_contact()
    {
        var aContact = await ContactAsync(A, "Ada");
        var aConversation = await ConversationAsync(A, aContact, "The secret word is marmalade.");
        var bContact = await ContactAsync(B, "Bea");
        await ConversationAsync(B, bContact, "Nothing to see here.");

        foreach (var path in new[] { $"/api/conversations/{aConversation}", $"/api/conversations/{aConversation}/messages", $"/api/conversations/{aConversation}/activities" })
        {
            using var response = await B.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path}: {(int)response.StatusCode}");
        }
        using (var append = await B.PostAsJsonAsync($"/api/conversations/{aConversation}/messages", new { messages = new[] { new { speaker = "b", text = "hi" } } }))
            Assert.Equal(HttpStatusCode.NotFound, append.StatusCode);
        using (var start = await B.PostAsJsonAsync("/api/conversations", new { channel = "chat", contactId = aContact }))
            await AssertProblemAsync(start, HttpStatusCode.NotFound);
        Assert.Empty((await OkAsync(B.GetAsync("/api/conversations/search?search=marmalade"))).GetProperty("items").EnumerateArray());
        Assert.Equal(1, (await OkAsync(B.GetAsync("/api/conversations"))).GetProperty("totalCount").GetInt32());
        Assert.Equal(1, (await OkAsync(A.GetAsync($"/api/conversations/{aConversation}"))).GetProperty("messageCount").GetInt32());
    }

    [Theory]
    [InlineData("""{"channel":"voice"}""", "contactId")]
    [InlineData("""{"channel":"fax","contactId":"00000000-0000-0000-0000-000000000001"}""", "channel")]
    [InlineData("""{"channel":"chat","contactId":"00000000-0000-0000-0000-000000000001","messages":[{"speaker":"","text":"x"}]}""", "messages[0].speaker")]
    [InlineData("""{"channel":"chat","contactId":"00000000-0000-0000-0000-000000000001","messages":[{"speaker":"a","text":"x","sentiment":"ecstatic"}]}""", "messages[0].sentiment")]
    [InlineData("""{"channel":"chat","contactId":"00000000-0000-0000-0000-000000000001","messageCount":3}""", "messageCount")]
    [InlineData("""{"channel":"chat","contactId":"00000000-0000-0000-0000-000000000001","messages":[null]}""", "messages[0]")]
    public async Task Bad_input_to_start_is_a_400_naming_the_field_and_writes_nothing(string body, string field)
    {
        using var response = await A.PostAsync("/api/conversations", new StringContent(body, Encoding.UTF8, "application/json"));
        await AssertProblemAsync(response, HttpStatusCode.BadRequest, field: field);
        Assert.Equal(0, (await OkAsync(A.GetAsync("/api/conversations"))).GetProperty("totalCount").GetInt32());
    }

    [Theory]
    [InlineData("?search=ab", "search")]
    [InlineData("?search=%20%20a%20", "search")]
    [InlineData("?search=abc&limit=0", "limit")]
    public async Task A_search_term_too_short_or_a_bad_limit_is_a_400_naming_it(string query, string field)
    {
        using var response = await A.GetAsync("/api/conversations/search" + query);
        await AssertProblemAsync(response, HttpStatusCode.BadRequest, field: field);
    }
}
