using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Common.Messaging;
using MediatR;

namespace CrmTenancy.Application.Privacy.GetMyData;

/// <summary>
/// Everything the calling person owns, created or is assigned, as one JSON document streamed from the database (a
/// subject access request). For people only: an integration's token has no person to describe.
/// </summary>
public sealed record GetMyData : IQuery<StreamedDocument>;

public sealed class GetMyDataHandler(IPersonalData data, ICurrentUser user) : IRequestHandler<GetMyData, StreamedDocument>
{
    public Task<StreamedDocument> Handle(GetMyData request, CancellationToken cancellationToken)
    {
        var userId = user.UserId ?? throw new ForbiddenException("Your data is a signed-in person's: an integration's token has none.");
        return Task.FromResult(new StreamedDocument("application/json; charset=utf-8", (output, ct) => data.WriteMyDataAsync(userId, output, ct)));
    }
}
