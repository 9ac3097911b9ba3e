namespace CrmTenancy.Application.Common.Paging;

/// <summary>The direction of a sortable list (<c>direction=asc|desc</c>), for every module's lists.</summary>
public enum SortDirection
{
    Asc,
    Desc,
}
