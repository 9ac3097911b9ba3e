using Microsoft.Extensions.Logging;

namespace CrmTenancy.FunctionalTests.Infrastructure;

/// <summary>
/// The host's warnings and errors appended to a file, when the environment variable <c>CRM_TEST_LOG</c> names one: what
/// a 500 in a functional test was, without a debugger.
/// </summary>
public sealed class FileLog(string path) : ILoggerProvider
{
    private readonly Lock _lock = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private void Write(string line)
    {
        lock (_lock)
            File.AppendAllText(path, line + Environment.NewLine);
    }

    private sealed class Logger(FileLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
                log.Write($"{DateTimeOffset.UtcNow:O} {logLevel} {category}: {formatter(state, exception)}{Environment.NewLine}{exception}");
        }
    }
}
