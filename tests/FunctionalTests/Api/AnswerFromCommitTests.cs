using System.Net;
using CrmTenancy.Application.Contacts;
using CrmTenancy.Application.Contacts.GetContact;
using CrmTenancy.Application.Customers;
using CrmTenancy.Application.Customers.GetCustomer;
using CrmTenancy.FunctionalTests.Infrastructure;
using MediatR;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace CrmTenancy.FunctionalTests.Api;

/// <summary>
/// A create or a change answers with the resource as its command committed it, without reading it again: on a host
/// whose by-id queries fail, every create and change still answers 2xx, and its body is exactly what a later GET
/// (on the normal host) returns. A change that committed is never answered with an error from a second read.
/// </summary>
public sealed class AnswerFromCommitTests(ApiFactory factory) : ApiTest(factory)
{
    [Fact]
    public async Task Creates_and_changes_answer_what_they_committed_without_a_second_read()
    {
        await using var host = Factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
        {
            services.AddScoped<IRequestHandler<GetCustomer, CustomerDto>, FailingRead<GetCustomer, CustomerDto>>();
            services.AddScoped<IRequestHandler<GetContact, ContactDto>, FailingRead<GetContact, ContactDto>>();
        }));
        using var client = await ApiFactory.ClientForAsync(host, TenantA);

        using (var read = await client.GetAsync($"/api/customers/{Guid.CreateVersion7()}"))
            Assert.Equal(HttpStatusCode.InternalServerError, read.StatusCode); // the by-id query is really broken here

        using var created = await client.PostAsync("/api/customers", RawJson("""{"name":"Committed","source":"web"}"""));
        var id = await AssertSameAsGetAsync(created, HttpStatusCode.Created, null);
        var customer = $"/api/customers/{id}";
        await AssertSameAsGetAsync(await client.PutAsync(customer, RawJson("""{"name":"Committed again","source":"referral"}""")), HttpStatusCode.OK, customer);
        await AssertSameAsGetAsync(await client.PostAsync($"{customer}/status", RawJson("""{"status":"inactive"}""")), HttpStatusCode.OK, customer);
        await AssertSameAsGetAsync(await client.PostAsync($"{customer}/tags", RawJson("""{"tags":["kept"]}""")), HttpStatusCode.OK, customer);
        await AssertSameAsGetAsync(await client.DeleteAsync($"{customer}/tags/kept"), HttpStatusCode.OK, customer);
        await AssertSameAsGetAsync(await client.PostAsync($"{customer}/purchases", RawJson("""{"amount":12.5}""")), HttpStatusCode.OK, customer);
        await AssertSameAsGetAsync(await client.PutAsync($"{customer}/assignee", RawJson("""{"assigneeId":null}""")), HttpStatusCode.OK, customer);

        using var contactCreated = await client.PostAsync("/api/contacts", RawJson($$"""{"firstName":"Com","lastName":"Mitted","customerId":"{{id}}"}"""));
        var contactId = await AssertSameAsGetAsync(contactCreated, HttpStatusCode.Created, null);
        var contact = $"/api/contacts/{contactId}";
        await AssertSameAsGetAsync(await client.PutAsync(contact, RawJson($$"""{"firstName":"Com","lastName":"Mitted","type":"partner","customerId":"{{id}}"}""")), HttpStatusCode.OK, contact);
        await AssertSameAsGetAsync(await client.PostAsync($"{contact}/primary", null), HttpStatusCode.OK, contact);
    }

    /// <summary>Asserts the status and that the body and ETag equal a GET's on the normal host; returns the resource id.</summary>
    private async Task<string> AssertSameAsGetAsync(HttpResponseMessage response, HttpStatusCode status, string? url)
    {
        using var _ = response;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode} {text}");
        var id = (await Json(response)).GetProperty("id").GetString()!;
        using var read = await A.GetAsync(url ?? response.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(await read.Content.ReadAsStringAsync(), text);
        Assert.Equal(read.Headers.ETag, response.Headers.ETag);
        return id;
    }

    private sealed class FailingRead<TQuery, TDto> : IRequestHandler<TQuery, TDto> where TQuery : IRequest<TDto>
    {
        public Task<TDto> Handle(TQuery request, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("The resource was read again after its command.");
    }
}
