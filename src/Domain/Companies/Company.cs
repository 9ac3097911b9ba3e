using CrmTenancy.Domain.Common;

namespace CrmTenancy.Domain.Companies;

/// <summary>
/// A company the tenant serves, as a business unit of its own (an agency's client companies, a group's brands): its
/// customers and leads may belong to one, and lists, statistics and the dashboard can be asked for one. Names are
/// unique in the tenant, compared case-insensitively.
/// </summary>
public sealed class Company : AggregateRoot, ITenantOwned
{
    public const int NameMaxLength = FieldLengths.Name;
    public const int DescriptionMaxLength = 1000;

    private Company() { Name = null!; NormalizedName = null!; }

    public Guid TenantId { get; private set; }
    public string Name { get; private set; }
    /// <summary>The name as uniqueness compares it (<see cref="NormaliseName"/>).</summary>
    public string NormalizedName { get; private set; }
    public string? Description { get; private set; }

    public static Company Create(Guid tenantId, string name, string? description)
    {
        var company = new Company { TenantId = Guard.Tenant(tenantId) };
        company.Update(name, description);
        return company;
    }

    public void Update(string name, string? description)
    {
        Name = Guard.Required(name, NameMaxLength, "name");
        NormalizedName = NormaliseName(Name);
        Description = Guard.Optional(description, DescriptionMaxLength, "description");
    }

    /// <summary>Trimmed, runs of spaces as one, upper case: "North  brand " and "north Brand" are one name.</summary>
    public static string NormaliseName(string name) => NameKey.Of(name);
}
