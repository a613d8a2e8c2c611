namespace Billing.Silo.Dashboard;

/// <summary>
/// A part of the silo behind the admin-key login (the Orleans dashboard, the operator console):
/// its own login form, landing page and session cookie scoped to its path, so each area's cookie
/// goes only to its own pages; a session started with an operator key names it in a second cookie. The sessions are the same signed tokens (<see cref="DashboardSessions"/>).
/// </summary>
public sealed record AdminLoginArea(string Title, string Root, string CookieName, string OperatorCookieName)
{
    public static readonly AdminLoginArea Dashboard = new("Billing dashboard", DashboardPaths.Root, DashboardSessions.CookieName, DashboardSessions.OperatorCookieName);

    public string Login => Root + "/login";

    public string Logout => Root + "/logout";
}
