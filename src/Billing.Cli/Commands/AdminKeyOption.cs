using System.CommandLine;
using System.CommandLine.Parsing;

namespace Billing.Cli.Commands;

/// <summary><c>--admin-key</c>, defaulting to <c>$BILLING_ADMIN_KEY</c>, for the commands that call the silo's admin API.</summary>
internal sealed class AdminKeyOption
{
    public const string EnvironmentVariable = "BILLING_ADMIN_KEY";

    private readonly Func<string, string?> environment;

    public AdminKeyOption(Func<string, string?> environment)
    {
        this.environment = environment;
        Option = new Option<string?>("--admin-key")
        {
            Description = $"The silo's admin key (sent as a bearer token). Defaults to ${EnvironmentVariable}, which keeps it out of the process list.",
            HelpName = "key",
            DefaultValueFactory = _ => environment(EnvironmentVariable),
        };
    }

    public Option<string?> Option { get; }

    /// <summary>The admin key in effect, for a validator, which runs before defaults are filled in.</summary>
    public string? For(SymbolResult result) =>
        result.GetResult(Option) is { Implicit: false } given
            ? (given.Tokens is [.., var last] ? last.Value : null)
            : environment(EnvironmentVariable);

    /// <summary>A usage error on <paramref name="result"/> when no key is given either way.</summary>
    public void Require(CommandResult result, string commandName)
    {
        if (string.IsNullOrWhiteSpace(For(result)))
        {
            result.AddError($"{commandName} needs the silo's admin key: pass --admin-key or set ${EnvironmentVariable}.");
        }
    }

    /// <summary>The key, once the validator has made sure there is one.</summary>
    public string Value(ParseResult parseResult) => parseResult.GetValue(Option)!.Trim();
}
