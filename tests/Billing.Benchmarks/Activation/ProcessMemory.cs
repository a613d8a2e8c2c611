using System.Diagnostics;
using System.Globalization;
using System.Runtime;

namespace Billing.Benchmarks.Activation;

/// <summary>Resident size and managed heap after a full compacting collection, and the GC mode they were taken under.</summary>
public readonly record struct ProcessMemory(double ResidentMb, double HeapMb)
{
    public static ProcessMemory Measure()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        using var process = Process.GetCurrentProcess();
        return new ProcessMemory(process.WorkingSet64 / 1048576.0, GC.GetTotalMemory(forceFullCollection: true) / 1048576.0);
    }

    /// <summary>The resident size depends on it by a factor of up to 1.6 (README, Benchmarks): say which.</summary>
    public static string GcMode()
    {
        var datas = Environment.GetEnvironmentVariable("DOTNET_GCDynamicAdaptationMode") == "1" || AppContext.GetData("System.GC.DynamicAdaptationMode") is 1 or "1";
        return GCSettings.IsServerGC ? (datas ? "server GC, DATAS on" : "server GC, DATAS off") : "workstation GC";
    }

    public static void PrintTable(int activations, ProcessMemory idle, ProcessMemory active)
    {
        Console.WriteLine("| activations | resident MB idle | resident MB active | managed heap MB active | KB per activation (resident) | KB per activation (heap) |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {activations:N0} | {idle.ResidentMb:N0} | {active.ResidentMb:N0} | {active.HeapMb:N0} | {(active.ResidentMb - idle.ResidentMb) * 1024 / activations:N2} | {(active.HeapMb - idle.HeapMb) * 1024 / activations:N2} |"));
    }
}
