namespace Billing.Silo.Auth;

/// <summary>
/// Lines for the operator on standard output, outside the logs (which may be shipped elsewhere or
/// filtered): things that must be seen exactly once, like a generated admin key. A service so
/// tests can read what a silo printed.
/// </summary>
public sealed class SiloConsole(TextWriter output)
{
    public async Task WriteLineAsync(string line)
    {
        await output.WriteLineAsync(line);
        await output.FlushAsync();
    }
}
