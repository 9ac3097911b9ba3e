using System.Net;
using CrmTenancy.FunctionalTests.Infrastructure;

namespace CrmTenancy.FunctionalTests.Contacts;

/// <summary>
/// Twenty contacts of one customer made primary at the same moment, several rounds. Before the customer's row lock
/// some of these deadlocked (500) and a round could leave no primary contact; now they run one after the other:
/// every answer is 200 or 409 concurrent-update, never a 5xx, and the customer keeps exactly one primary contact.
/// </summary>
public sealed class PrimaryContactRaceTests(ApiFactory factory) : ApiTest(factory)
{
    [Fact]
    public async Task Parallel_make_primary_calls_answer_200_or_409_and_leave_exactly_one_primary()
    {
        var customer = (await CreateCustomerAsync(A, new { name = "Hooli" })).GetProperty("id").GetString();
        var contacts = new List<string>();
        for (var i = 0; i < 20; i++)
            contacts.Add((await CreateContactAsync(A, new { firstName = $"C{i}", lastName = "Race", customerId = customer })).GetProperty("id").GetString()!);

        for (var round = 0; round < 5; round++)
        {
            using var start = new SemaphoreSlim(0);
            var calls = contacts.Select(async id =>
            {
                await start.WaitAsync();
                using var response = await A.PostAsync($"/api/contacts/{id}/primary", null);
                return (Id: id, response.StatusCode, Body: await response.Content.ReadAsStringAsync());
            }).ToList();
            start.Release(contacts.Count);
            var results = await Task.WhenAll(calls);

            Assert.All(results, r => Assert.True(r.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict, $"round {round}: {(int)r.StatusCode} {r.Body}"));
            Assert.All(results.Where(r => r.StatusCode == HttpStatusCode.Conflict), r => Assert.Contains("concurrent-update", r.Body));
            var list = await Json(await A.GetAsync($"/api/contacts?customerId={customer}&pageSize=100"));
            var primaries = list.GetProperty("items").EnumerateArray().Where(c => c.GetProperty("isPrimary").GetBoolean())
                .Select(c => c.GetProperty("id").GetString()).ToList();
            Assert.True(primaries.Count == 1, $"round {round}: {primaries.Count} primary contacts; answers {string.Join(",", results.Select(r => (int)r.StatusCode))}");
            // The one primary is a contact whose call succeeded.
            Assert.Contains(results, r => r.StatusCode == HttpStatusCode.OK && r.Id == primaries[0]);
        }
    }
}
