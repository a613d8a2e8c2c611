namespace Billing.Silo.Storage.GrainState;

/// <summary>
/// The named grain storage grain state lives in, on either dialect. Here, in Storage, so that the
/// grains that name it and the hosting that registers it both depend on Storage, not on each other.
/// </summary>
public static class GrainStorages
{
    public const string Billing = "billing";
}
