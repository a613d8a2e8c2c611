using Billing.Silo.Dashboard;

namespace Billing.Silo.OperatorConsole;

/// <summary>Where the operator console lives; it logs in like the dashboard, with its own cookie scoped to <c>/console</c>.</summary>
public static class ConsolePaths
{
    public const string Root = "/console";
    public const string CookieName = "billing_console_session";
    public const string OperatorCookieName = "billing_console_operator";

    public static readonly AdminLoginArea Area = new("Billing console", Root, CookieName, OperatorCookieName);
}
