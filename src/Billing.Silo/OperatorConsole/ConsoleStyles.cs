namespace Billing.Silo.OperatorConsole;

/// <summary>The console's one stylesheet, served from <c>/console/console.css</c> so the pages need no inline style.</summary>
internal static class ConsoleStyles
{
    public const string Css = """
        body { font-family: system-ui, sans-serif; margin: 0; color: #1d2433; background: #f6f7f9; }
        header { background: #1d2433; padding: .6rem 1.5rem; display: flex; gap: 1.2rem; align-items: center; }
        header a { color: #e8ecf3; text-decoration: none; }
        header a.brand { font-weight: 600; margin-right: 1rem; }
        header a.logout { margin-left: auto; color: #aab3c5; }
        main { padding: 1rem 1.5rem 3rem; max-width: 80rem; }
        h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 1.8rem; }
        .cards { display: flex; flex-wrap: wrap; gap: 1rem; }
        .card { background: #fff; border: 1px solid #dde1e8; border-radius: 6px; padding: .8rem 1rem; min-width: 14rem; }
        .card h2 { margin: 0 0 .4rem; font-size: .95rem; color: #5a6478; font-weight: 500; }
        .figure { font-size: 1.4rem; font-weight: 600; display: block; }
        .muted { color: #5a6478; font-size: .9rem; }
        table { border-collapse: collapse; background: #fff; width: 100%; margin-top: .5rem; }
        th, td { border-bottom: 1px solid #e4e7ed; padding: .35rem .6rem; text-align: left; font-size: .92rem; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
        .status-overdue, .status-failed { color: #b00020; font-weight: 600; }
        .status-paid, .status-completed { color: #1b7f3b; }
        form.inline { display: flex; gap: .6rem; align-items: end; flex-wrap: wrap; background: #fff; padding: .7rem; border: 1px solid #dde1e8; border-radius: 6px; }
        form.inline label { display: flex; flex-direction: column; font-size: .85rem; gap: .2rem; }
        input, select, button { font-size: .95rem; padding: .3rem .5rem; }
        .problem { color: #b00020; }
        form.action { display: flex; gap: .3rem; margin: .15rem 0; } form.action input[type=text] { width: 9rem; font-size: .85rem; }
        .pager { margin-top: .8rem; }
        svg.chart { background: #fff; border: 1px solid #dde1e8; border-radius: 6px; }
        svg.chart rect.bar { fill: #3b6fd8; } svg.chart rect.errors { fill: #d8573b; }
        svg.chart text { font-size: 10px; fill: #5a6478; }
        """;
}
