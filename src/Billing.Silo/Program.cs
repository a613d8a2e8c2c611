using Billing.Silo;
using Billing.Silo.Api.Docs;
using Billing.Silo.Hosting;

// Settings files ship beside the binary; relative data paths (./data) follow the working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddBillingSilo();
builder.Services.AddApiDocs();

var app = builder.Build();
app.UseBillingPipeline();
return await app.RunSiloAsync();

/// <summary>The silo's entry point; public so functional tests can host it with WebApplicationFactory.</summary>
public partial class Program;
