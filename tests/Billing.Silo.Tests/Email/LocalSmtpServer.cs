using System.Net;
using MimeKit;
using netDumbster.smtp;

namespace Billing.Silo.Tests.Email;

/// <summary>
/// A real SMTP server in the test process (netDumbster), on 127.0.0.1 only, on a port chosen up
/// front: an outage is the port with nobody listening, and the server can come up on it later.
/// </summary>
internal sealed class LocalSmtpServer : IDisposable
{
    private SimpleSmtpServer? server;

    public LocalSmtpServer(int port, bool start = true)
    {
        Port = port;
        if (start)
        {
            Start();
        }
    }

    public int Port { get; }

    public void Start() => server ??= netDumbster.smtp.Configuration.Configure().WithAddress(IPAddress.Loopback).WithPort(Port).Build();

    public void Stop()
    {
        server?.Stop();
        server = null;
    }

    /// <summary>What arrived so far, parsed as MIME.</summary>
    public IReadOnlyList<MimeMessage> Received =>
        server is null ? [] : [.. server.ReceivedEmail.Select(m => MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(m.Data))))];

    /// <summary>The settings that point the silo's e-mail at this server, plain SMTP.</summary>
    public Dictionary<string, string> Settings() => new()
    {
        ["Billing:Email:SmtpHost"] = "127.0.0.1",
        ["Billing:Email:SmtpPort"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Billing:Email:Security"] = "none",
        ["Billing:Email:FromAddress"] = "billing@billing.test",
        ["Billing:Email:FromName"] = "Billing.Orleans",
        ["Billing:Email:AlertRecipient"] = "ops@billing.test",
        ["Billing:Email:MaxAttempts"] = "3",
        ["Billing:Email:RetryBaseDelaySeconds"] = "10",
        ["Billing:Email:TimeoutSeconds"] = "5",
        // The background sender waits on the test's manual clock; the tests send explicitly.
        ["Billing:Email:PollIntervalMs"] = "3600000",
    };

    public void Dispose() => Stop();
}
