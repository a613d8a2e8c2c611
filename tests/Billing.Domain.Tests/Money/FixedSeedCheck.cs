using FsCheck;
using Microsoft.FSharp.Core;

namespace Billing.Domain.Tests;

/// <summary>
/// Runs FsCheck properties with a fixed seed so a failure reproduces on every machine and in CI;
/// the seed is part of the failure message so it can be replayed while debugging.
/// </summary>
internal static class FixedSeedCheck
{
    public const ulong Seed = 20_260_101UL;

    // Rnd's gamma must be odd; any fixed odd constant works.
    private const ulong Gamma = 0x9E37_79B9_7F4A_7C15UL;

    public static void Run(Property property, string propertyName, int maxTests = 500)
    {
        var config = Config.QuickThrowOnFailure
            .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(Seed, Gamma), FSharpOption<int>.None)))
            .WithMaxTest(maxTests)
            .WithQuietOnSuccess(true);
        try
        {
            Check.One(propertyName, config, property);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Assert.Fail($"Property '{propertyName}' failed (FsCheck seed {Seed}, gamma {Gamma}):{Environment.NewLine}{ex}");
        }
    }
}
