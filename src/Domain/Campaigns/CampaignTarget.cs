using CrmTenancy.Domain.Common;

namespace CrmTenancy.Domain.Campaigns;

/// <summary>
/// One person a campaign is to reach: a contact or a lead of the campaign's tenant, with the phone and email they had
/// when they became a target. A row of its own (a campaign may have 100,000), read and changed through the campaign.
/// </summary>
public sealed class CampaignTarget : AggregateRoot, ITenantOwned
{
    public const int NameMaxLength = 201;

    private CampaignTarget() { Name = null!; }

    public Guid TenantId { get; private set; }
    public Guid CampaignId { get; private set; }
    public Guid? ContactId { get; private set; }
    public Guid? LeadId { get; private set; }
    public string Name { get; private set; }
    public string? Phone { get; private set; }
    public string? Email { get; private set; }
    public CampaignTargetState State { get; private set; }
    public int Attempts { get; private set; }
    public DateTimeOffset? LastAttemptAt { get; private set; }

    public static CampaignTarget ForContact(Campaign campaign, Guid contactId, string name, string? phone, string? email) =>
        New(campaign, name, phone, email, contactId, leadId: null);

    public static CampaignTarget ForLead(Campaign campaign, Guid leadId, string name, string? phone, string? email) =>
        New(campaign, name, phone, email, contactId: null, leadId);

    /// <summary>
    /// A call to the target was answered (<paramref name="ended"/> false: it goes on) or ended, reached or not, completed
    /// with an outcome or not. Each call that ends is one attempt. A target never goes back.
    /// </summary>
    public void Attempted(DateTimeOffset at, bool reached, bool completed, bool ended = true)
    {
        if (ended)
            Attempts++;
        if (LastAttemptAt is null || at > LastAttemptAt)
            LastAttemptAt = at;
        var state = completed ? CampaignTargetState.Completed : reached ? CampaignTargetState.Reached : CampaignTargetState.Attempted;
        if (state > State)
            State = state;
    }

    private static CampaignTarget New(Campaign campaign, string name, string? phone, string? email, Guid? contactId, Guid? leadId) => new()
    {
        TenantId = campaign.TenantId,
        CampaignId = campaign.Id,
        ContactId = contactId,
        LeadId = leadId,
        Name = name.Length <= NameMaxLength ? name : name[..NameMaxLength],
        Phone = phone,
        Email = email,
        State = CampaignTargetState.Pending,
    };
}
