using System.Net;
using DuckChat.Tests.Infrastructure;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DuckChat.Tests.Security;

public sealed class ErrorDisclosureTests(ProductionFaultyAppFactory app) : IClassFixture<ProductionFaultyAppFactory>
{
    [Fact]
    public void InProduction_CircuitErrorsAreNotDetailed()
    {
        app.StartServer();

        Assert.False(app.Services.GetRequiredService<IOptions<CircuitOptions>>().Value.DetailedErrors);
    }

    [Fact]
    public async Task AFailingPage_ShowsAFriendlyError_AndNoStackTraceOrInternalDetail()
    {
        await app.CreateUserAsync("err-user");
        using var client = await app.SignedInClientAsync("err-user");
        app.Faults.FailQueriesContaining = "\"ChatMembers\"";
        try
        {
            using var response = await client.GetAsync("/", TestContext.Current.CancellationToken);
            var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
            Assert.Contains("Something went wrong", body);
            Assert.DoesNotContain("SECRET-INTERNAL-DETAIL", body);
            Assert.DoesNotContain("Exception", body);
            Assert.DoesNotContain(" at DuckChat.", body);
        }
        finally
        {
            app.Faults.FailQueriesContaining = null;
        }
    }
}
