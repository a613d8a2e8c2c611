namespace Billing.Runtime;

/// <summary>The identity of a grain: its stable type name and its key. Storage rows use both.</summary>
public readonly record struct GrainId(string Type, string Key)
{
    public override string ToString() => $"{Type}/{Key}";
}
