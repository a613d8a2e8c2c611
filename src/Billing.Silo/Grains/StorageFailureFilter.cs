using System.Data.Common;
using Billing.Silo.Storage.Sql;

namespace Billing.Silo.Grains;

/// <summary>
/// A database failure inside a grain call leaves the grain as <see cref="StorageFailedException"/>.
/// Npgsql's exceptions carry fields Orleans has no codec for, so one that crossed silos arrived as
/// "Could not find a codec for type Npgsql.PostgresException" instead of itself, and the front
/// door answered 500 where a database outage is a 503 to retry. The message and SQLSTATE travel.
/// </summary>
internal sealed class StorageFailureFilter : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (DbException error)
        {
            throw Crossing(error);
        }
    }

    /// <summary>What of a driver's exception crosses silos.</summary>
    public static StorageFailedException Crossing(DbException error) => new(error.Message, error.SqlState);
}
