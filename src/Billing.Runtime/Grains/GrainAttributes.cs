namespace Billing.Runtime;

/// <summary>
/// Calls to a reentrant grain interleave at their awaits (never in parallel: they share one
/// exclusive scheduler). Without it a grain runs one call to completion before the next.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ReentrantAttribute : Attribute;

/// <summary>
/// The stable name under which a grain class stores its state and reminders. Renaming the class
/// must not orphan its rows, so production grains set it explicitly.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class GrainTypeAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}

/// <summary>Overrides the silo-wide idle collection age for one grain class.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class CollectionAgeLimitAttribute(int minutes) : Attribute
{
    public TimeSpan Age { get; } = TimeSpan.FromMinutes(minutes);
}

/// <summary>Marks a constructor parameter of type <see cref="IPersistentState{T}"/> to be loaded before activation.</summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class PersistentStateAttribute(string stateName) : Attribute
{
    public string StateName { get; } = stateName;
}
