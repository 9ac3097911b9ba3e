using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Messaging;
using MediatR;

namespace CrmTenancy.Application.Common.Behaviours;

/// <summary>
/// Innermost: a command's changes are saved once, after its handler, together with what its domain
/// events' handlers wrote. Repositories never save on their own. Queries pass straight through.
/// </summary>
public sealed class TransactionBehaviour<TRequest, TResponse>(IUnitOfWork unitOfWork) : IPipelineBehavior<TRequest, TResponse>
{
    private static readonly bool IsCommand = typeof(TRequest).GetInterfaces()
        .Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ICommand<>));

    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        var response = await next();
        if (IsCommand)
            await unitOfWork.SaveChangesAsync(cancellationToken);
        return response;
    }
}
