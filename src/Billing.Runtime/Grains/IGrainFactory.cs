namespace Billing.Runtime;

/// <summary>
/// Gets a reference to a grain. References are cheap and always valid: the runtime activates the
/// grain on the first call (virtual actors).
/// </summary>
public interface IGrainFactory
{
    TGrainInterface GetGrain<TGrainInterface>(string key) where TGrainInterface : IGrainWithStringKey;
}
