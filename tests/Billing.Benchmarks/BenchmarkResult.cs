namespace Billing.Benchmarks;

public sealed record BenchmarkResult(string Name, string Storage, int Callers, int Keys, long Operations, double Seconds, double P50Ms, double P99Ms)
{
    public double OperationsPerSecond => Operations / Seconds;
}
