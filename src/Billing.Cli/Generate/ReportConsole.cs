using Spectre.Console;

namespace Billing.Cli.Generate;

/// <summary>
/// Spectre.Console over the command's stdout: colour and live progress bars on a terminal, plain text when the output is
/// redirected or captured (scripts, tests), so what they read never holds escape codes or redraws.
/// </summary>
internal static class ReportConsole
{
    /// <summary>The line width of plain output: wider than any line the reports write.</summary>
    public const int MaxPlainWidth = 4096;

    /// <summary>Whether <paramref name="stdout"/> is the process's own console output and a terminal.</summary>
    public static bool IsTerminal(TextWriter stdout) => ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected;

    public static IAnsiConsole Create(TextWriter stdout)
    {
        var terminal = IsTerminal(stdout);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stdout),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!terminal)
        {
            // Spectre wraps at 80 columns where it cannot ask the terminal; a script reading the report wants whole lines.
            console.Profile.Width = MaxPlainWidth;
        }

        return console;
    }

    /// <summary>Runs <paramref name="work"/> with a progress bar of <paramref name="steps"/> steps on a terminal; plainly otherwise.</summary>
    public static async Task RunWithProgressAsync(IAnsiConsole console, TextWriter stdout, string title, int steps, Func<Action, Task> work)
    {
        if (!IsTerminal(stdout))
        {
            await work(() => { });
            return;
        }

        await console.Progress().AutoClear(false).StartAsync(async context =>
        {
            var task = context.AddTask(Markup.Escape(title), maxValue: Math.Max(1, steps));
            await work(() => task.Increment(1));
        });
    }

    /// <summary>The colour seed 000's report gives a status: paid green, pending blue, overdue red, waived grey.</summary>
    public static string Colour(string status) => status switch
    {
        "paid" => "green",
        "pending" => "blue",
        "overdue" => "red",
        _ => "grey",
    };
}
