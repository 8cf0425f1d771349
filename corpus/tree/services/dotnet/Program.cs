using Microsoft.Extensions.Configuration;

var builder = WebApplication.CreateBuilder(args);
var connectionString = "Server=tcp:acme-ledger.database.windows.net,1433;Database=ledger;User ID=ledger;Password=⟪database|[A-Za-z0-9]{20}⟫;Encrypt=True;";
var storage = "DefaultEndpointsProtocol=https;AccountName=acmeledger;AccountKey=⟪azure|[A-Za-z0-9+/]{86}==⟫;EndpointSuffix=core.windows.net";
string apiKey = "⟪generic|[A-Za-z0-9]{32}⟫";
string clientSecret = ⟪~reference:builder.Configuration["AzureAd:ClientSecret"]⟫;
string password = ⟪~reference:Environment.GetEnvironmentVariable("LEDGER_PASSWORD")⟫;
var sendgridKey = "⟪sendgrid|SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}⟫";
var slackToken = "⟪slack|xoxb-[0-9]{11}-[0-9]{13}-[A-Za-z0-9]{24}⟫";
var app = builder.Build();
app.Run();
