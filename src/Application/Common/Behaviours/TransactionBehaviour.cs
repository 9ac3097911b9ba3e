using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Common.Messaging;
using MediatR;

namespace CrmTenancy.Application.Common.Behaviours;

/// <summary>
/// Innermost: a command runs in one transaction, opened before its handler (its reads and row locks are in it) and
/// committed by the save after it, together with what its domain events' handlers wrote. Repositories never save
/// on their own. Queries pass straight through.
/// <para>
/// A command that lost a race it did not ask about (a deadlock, a serialization failure, a row another request changed
/// when no If-Match was given) was rolled back whole; it runs again on what is committed now, up to
/// <see cref="MaxAttempts"/> times in all, after a short random pause. Then the 409 concurrent-update stands. A
/// conditional change (If-Match) is never re-run: its 412 is the answer the caller asked for. Nor is an
/// <see cref="IRunsOnce"/> command.
/// </para>
/// </summary>
public sealed class TransactionBehaviour<TRequest, TResponse>(IUnitOfWork unitOfWork) : IPipelineBehavior<TRequest, TResponse>
{
    public const int MaxAttempts = 3;

    private static readonly bool IsCommand = typeof(TRequest).GetInterfaces()
        .Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ICommand<>));

    private static readonly bool MayRunAgain = !typeof(IRunsOnce).IsAssignableFrom(typeof(TRequest));

    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        if (!IsCommand)
            return await next();
        for (var attempt = 1; ; attempt++)
        {
            // The command's transaction spans its reads, so the row locks it takes hold until its save commits.
            await unitOfWork.BeginAsync(cancellationToken);
            try
            {
                var response = await next();
                await unitOfWork.SaveChangesAsync(cancellationToken);
                return response;
            }
            catch (Exception exception) when (MayRunAgain && attempt < MaxAttempts
                                              && request is not IConditionalCommand { ExpectedVersion: not null }
                                              && unitOfWork.IsConcurrencyVictim(exception))
            {
                await unitOfWork.RollbackAsync();
                unitOfWork.Reset();
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20) * attempt), cancellationToken);
            }
            catch (Exception exception)
            {
                await unitOfWork.RollbackAsync();
                // A deadlock met by one of the handler's own statements (not the save, which says so itself).
                if (exception is not ConflictException && unitOfWork.IsConcurrencyVictim(exception))
                    throw new ConflictException(ConflictException.ConcurrentUpdate,
                        "The change met another one at the same time and was rolled back; retry.");
                throw;
            }
        }
    }
}
