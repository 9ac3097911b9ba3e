namespace CrmTenancy.Domain.Common;

/// <summary>Lengths shared by several entities; each is used by the entity, its EF configuration and its validator.</summary>
public static class FieldLengths
{
    public const int Email = 254;
    public const int Phone = 32;
    public const int Name = 200;
    public const int Url = 2048;
    public const int Notes = 4000;
    public const int Actor = 128;
}
