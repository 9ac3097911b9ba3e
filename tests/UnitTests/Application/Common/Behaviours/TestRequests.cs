using CrmTenancy.Application.Common.Messaging;
using MediatR;

namespace CrmTenancy.UnitTests.Application.Common.Behaviours;

public sealed record TenantCommand(string Name = "x") : ICommand<int>;

public sealed record TenantQuery : IQuery<int>;

public sealed record SignUpCommand : ICommand<int>, IAllowWithoutTenant;

public sealed record WithoutTenantQuery : IQuery<int>, IAllowWithoutTenant;

public sealed record PlatformQuery : IQuery<int>, IPlatformRequest;

/// <summary>A MediatR request that is neither a command nor a query.</summary>
public sealed record BareRequest : IRequest<int>;

public sealed record ConditionalCommand(int? ExpectedVersion) : ICommand<int>, IConditionalCommand;

public sealed record EmailingCommand : ICommand<int>, IRunsOnce;
