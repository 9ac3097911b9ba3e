using AutoMapper;
using CrmTenancy.Application;
using CrmTenancy.Application.Contacts;
using CrmTenancy.Application.Customers;
using CrmTenancy.Domain.Contacts;
using CrmTenancy.Domain.Customers;
using CrmTenancy.UnitTests.Support;

namespace CrmTenancy.UnitTests.Application.Mapping;

public sealed class MappingConfigurationTests
{
    private static readonly MapperConfiguration Configuration = DependencyInjection.CreateMapperConfiguration();

    [Fact]
    public void The_mapping_configuration_is_valid()
    {
        DependencyInjection.CreateMapperConfiguration().AssertConfigurationIsValid();
    }

    [Fact]
    public void The_configuration_holds_the_customer_and_contact_maps()
    {
        var pairs = Configuration.GetAllTypeMaps().Select(m => (m.SourceType, m.DestinationType)).ToList();

        Assert.Contains((typeof(Customer), typeof(CustomerDto)), pairs);
        Assert.Contains((typeof(Contact), typeof(ContactDto)), pairs);
    }

    /// <summary>
    /// Backs the suppression of GHSA-rvv3-g6hj-g44x (AutoMapper 8.0.0, self-referential maps): no map goes from a type to
    /// itself, and no destination member (or element of a collection member) has the type of its own map's source.
    /// </summary>
    [Fact]
    public void No_map_is_self_referential()
    {
        var typeMaps = Configuration.GetAllTypeMaps();
        Assert.NotEmpty(typeMaps);

        var problems = new List<string>();
        foreach (var map in typeMaps)
        {
            if (map.SourceType == map.DestinationType)
                problems.Add($"{map.SourceType.Name} maps to itself");
            foreach (var member in map.DestinationTypeDetails.PublicWriteAccessors)
            {
                var memberType = member switch
                {
                    System.Reflection.PropertyInfo property => property.PropertyType,
                    System.Reflection.FieldInfo field => field.FieldType,
                    _ => typeof(void),
                };
                if (memberType == map.SourceType || ElementType(memberType) == map.SourceType)
                    problems.Add($"{map.DestinationType.Name}.{member.Name} has the map's source type {map.SourceType.Name}");
            }
        }

        Assert.Empty(problems);
    }

    private static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.GetInterfaces().Append(type)
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];

    [Fact]
    public void A_customer_maps_to_its_dto()
    {
        var customer = TestData.Customer(TestData.TenantA, "Acme", ownerId: TestData.UserId, email: "a@acme.test");
        customer.AddTags(["vip"]);
        customer.RecordPurchase(12.5m, new DateOnly(2024, 5, 10));

        var dto = Configuration.CreateMapper().Map<CustomerDto>(customer);

        Assert.Equal(customer.Id, dto.Id);
        Assert.Equal("Acme", dto.Name);
        Assert.Equal("a@acme.test", dto.Email);
        Assert.Equal(new[] { "vip" }, dto.Tags);
        Assert.Equal(12.5m, dto.TotalRevenue);
        Assert.Equal(new DateOnly(2024, 5, 10), dto.LastPurchaseDate);
        Assert.Equal(TestData.UserId, dto.AssigneeId);
        Assert.Equal(0, dto.ContactCount);
    }

    [Fact]
    public void A_contact_maps_to_its_dto()
    {
        var customer = TestData.Customer(TestData.TenantA);
        var contact = TestData.Contact(TestData.TenantA, "Ann", "Smith", "ann@acme.test", linkedTo: customer, primary: true);

        var dto = Configuration.CreateMapper().Map<ContactDto>(contact);

        Assert.Equal(contact.Id, dto.Id);
        Assert.Equal("Ann", dto.FirstName);
        Assert.Equal("Smith", dto.LastName);
        Assert.Equal("ann@acme.test", dto.Email);
        Assert.Equal(customer.Id, dto.CustomerId);
        Assert.True(dto.IsPrimary);
    }
}
