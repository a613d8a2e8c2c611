namespace Billing.Silo.OperatorConsole;

/// <summary>One bar of a <see cref="BarChart"/>: its value, the part of it drawn in the second colour, and its tooltip.</summary>
public sealed record ChartBar(string Label, decimal Value, decimal Part, string Title);
