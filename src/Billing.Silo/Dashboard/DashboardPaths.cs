namespace Billing.Silo.Dashboard;

/// <summary>Where the dashboard lives; the login is outside the Orleans dashboard's routes, which all need a session.</summary>
public static class DashboardPaths
{
    public const string Root = "/dashboard";
    public const string Login = Root + "/login";
    public const string Logout = Root + "/logout";
}
