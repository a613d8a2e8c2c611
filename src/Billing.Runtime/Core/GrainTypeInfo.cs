using System.Reflection;
using System.Text.Json;
using Billing.Runtime.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Runtime.Core;

/// <summary>
/// Everything the runtime needs about one grain class, worked out once at registration: the
/// reflection happens here, never per call.
/// </summary>
internal sealed class GrainTypeInfo
{
    private readonly ObjectFactory factory;
    private readonly StateParameter[] stateParameters;

    private GrainTypeInfo(Type interfaceType, Type grainClass, Func<GrainReference, object> proxyFactory)
    {
        InterfaceType = interfaceType;
        GrainClass = grainClass;
        ProxyFactory = proxyFactory;
        Name = grainClass.GetCustomAttribute<GrainTypeAttribute>()?.Name ?? grainClass.Name;
        IsReentrant = grainClass.GetCustomAttribute<ReentrantAttribute>() is not null;
        CollectionAge = grainClass.GetCustomAttribute<CollectionAgeLimitAttribute>()?.Age;
        IsRemindable = typeof(IRemindable).IsAssignableFrom(grainClass);
        stateParameters = FindStateParameters(grainClass);
        factory = ActivatorUtilities.CreateFactory(grainClass, stateParameters.Select(p => p.ParameterType).ToArray());
    }

    public string Name { get; }

    public Type InterfaceType { get; }

    public Type GrainClass { get; }

    public bool IsReentrant { get; }

    public bool IsRemindable { get; }

    public TimeSpan? CollectionAge { get; }

    public Func<GrainReference, object> ProxyFactory { get; }

    public static GrainTypeInfo Create<TInterface, TGrain>(Func<GrainReference, TInterface> proxyFactory)
        where TInterface : class, IGrainWithStringKey
        where TGrain : Grain, TInterface =>
        new(typeof(TInterface), typeof(TGrain), reference => proxyFactory(reference));

    /// <summary>Builds a new grain instance and the persistent states it asked for.</summary>
    public (Grain Grain, IStateLoader[] States) CreateInstance(IServiceProvider services, IGrainStorage storage, GrainId id, JsonSerializerOptions json)
    {
        var states = new IStateLoader[stateParameters.Length];
        for (var i = 0; i < states.Length; i++)
        {
            states[i] = stateParameters[i].Create(storage, id, json);
        }

        var grain = (Grain)factory(services, states);
        return (grain, states);
    }

    private static StateParameter[] FindStateParameters(Type grainClass)
    {
        var constructors = grainClass.GetConstructors();
        if (constructors.Length != 1)
        {
            throw new InvalidOperationException($"Grain class {grainClass.Name} must have exactly one public constructor.");
        }

        var parameters = constructors[0].GetParameters()
            .Select(p => (Parameter: p, Attribute: p.GetCustomAttribute<PersistentStateAttribute>()))
            .Where(p => p.Attribute is not null)
            .Select(p => StateParameter.For(grainClass, p.Parameter, p.Attribute!.StateName))
            .ToArray();
        if (parameters.Select(p => p.ParameterType).Distinct().Count() != parameters.Length)
        {
            throw new InvalidOperationException($"Grain class {grainClass.Name} has two persistent states of the same type; give each its own state class.");
        }

        return parameters;
    }

    private sealed record StateParameter(Type ParameterType, Func<IGrainStorage, GrainId, JsonSerializerOptions, IStateLoader> Create)
    {
        private static readonly MethodInfo CreateTyped = typeof(StateParameter).GetMethod(nameof(Typed), BindingFlags.NonPublic | BindingFlags.Static)!;

        public static StateParameter For(Type grainClass, ParameterInfo parameter, string stateName)
        {
            var type = parameter.ParameterType;
            if (!type.IsGenericType || type.GetGenericTypeDefinition() != typeof(IPersistentState<>))
            {
                throw new InvalidOperationException($"[PersistentState] on {grainClass.Name}({parameter.Name}) needs a parameter of type IPersistentState<T>.");
            }

            var create = CreateTyped.MakeGenericMethod(type.GetGenericArguments()[0]).Invoke(null, [stateName]);
            return new StateParameter(type, (Func<IGrainStorage, GrainId, JsonSerializerOptions, IStateLoader>)create!);
        }

        private static Func<IGrainStorage, GrainId, JsonSerializerOptions, IStateLoader> Typed<TState>(string stateName)
            where TState : class, new() =>
            (storage, id, json) => new PersistentState<TState>(storage, id, stateName, json);
    }
}
