namespace CrmTenancy.Domain.Customers;

public enum CustomerStatus
{
    Active,
    Inactive,
    Churned,
}

public enum CustomerSource
{
    Direct,
    Referral,
    Web,
    Campaign,
    Other,
}

public enum CompanySize
{
    Solo,
    Small,
    Medium,
    Large,
    Enterprise,
}
