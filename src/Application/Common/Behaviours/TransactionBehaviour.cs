using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Messaging;
using MediatR;

namespace CrmTenancy.Application.Common.Behaviours;

/// <summary>
/// Innermost: a command runs in one transaction, opened before its handler (its reads and row locks are in it) and
/// committed by the save after it, together with what its domain events' handlers wrote. Repositories never save
/// on their own. Queries pass straight through.
/// </summary>
public sealed class TransactionBehaviour<TRequest, TResponse>(IUnitOfWork unitOfWork) : IPipelineBehavior<TRequest, TResponse>
{
    private static readonly bool IsCommand = typeof(TRequest).GetInterfaces()
        .Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ICommand<>));

    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        if (!IsCommand)
            return await next();
        // The command's transaction spans its reads, so the row locks it takes hold until its save commits.
        await unitOfWork.BeginAsync(cancellationToken);
        try
        {
            var response = await next();
            await unitOfWork.SaveChangesAsync(cancellationToken);
            return response;
        }
        catch
        {
            await unitOfWork.RollbackAsync();
            throw;
        }
    }
}
