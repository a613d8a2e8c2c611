using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Billing.Silo.Tests.Alerts;

/// <summary>A logger provider that keeps every entry's event id and message, for asserting what was logged.</summary>
internal sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<(int EventId, string Message)> entries = new();

    public IReadOnlyList<string> MessagesOf(int eventId) => [.. entries.Where(e => e.EventId == eventId).Select(e => e.Message)];

    /// <summary>Whether any entry's message contains <paramref name="text"/> (for messages without a fixed event id).</summary>
    public bool Contains(string text) => entries.Any(e => e.Message.Contains(text, StringComparison.Ordinal));

    public ILogger CreateLogger(string categoryName) => new Logger(entries);

    public void Dispose()
    {
    }

    private sealed class Logger(ConcurrentQueue<(int, string)> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue((eventId.Id, formatter(state, exception)));
    }
}
