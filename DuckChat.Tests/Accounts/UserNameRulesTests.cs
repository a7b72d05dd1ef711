using DuckChat.Tests.Infrastructure;
using DuckChat.Web.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace DuckChat.Tests.Accounts;

public sealed class UserNameRulesTests
{
    [Theory]
    [InlineData("bob")]
    [InlineData("alice.smith")]
    [InlineData("j-doe_99")]
    [InlineData("Zoë")]
    [InlineData("Дмитрий")]
    [InlineData("Ελένη")]
    [InlineData("abcdefghijklmnopqrstuvwxyz012345")]
    public void ValidHandle_IsAccepted(string userName) => Assert.Null(UserNameRules.WhyInvalid(userName));

    [Theory]
    [InlineData("ab")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456")]
    [InlineData("has space")]
    [InlineData("mail@host")]
    [InlineData("<script>")]
    [InlineData("")]
    [InlineData("bob\u200B")] // zero-width space
    [InlineData("bob\u200D")] // zero-width joiner
    [InlineData("\u202Eecila")] // right-to-left override
    [InlineData("bo\u2066b\u2069")] // isolates
    [InlineData("e\u0301lise")] // a combining mark (not in form KC)
    [InlineData("ｂｏｂ")] // full-width: registers as "bob" after normalisation, refused as typed
    [InlineData("all")] // kept for @all
    [InlineData("Here")] // kept for @here
    public void InvalidHandle_IsRefused(string userName) => Assert.NotNull(UserNameRules.WhyInvalid(userName));

    [Theory]
    [InlineData("\u0430lice")] // Cyrillic а + Latin lice
    [InlineData("p\u0430ypal")]
    [InlineData("\u0441\u0430\u0440")] // all Cyrillic, all Latin look-alikes ("cap")
    [InlineData("\u03BF\u03BA")] // Greek "οκ"
    public void LookAlikeName_IsRefused(string userName) => Assert.NotNull(UserNameRules.WhyInvalid(userName));
}

public sealed class UserNameUniquenessTests(DuckChatAppFactory app) : IClassFixture<DuckChatAppFactory>
{
    [Fact]
    public async Task CompatibilityFormsAndCase_CountAsTheSameName()
    {
        await app.CreateUserAsync("bobby");
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();

        var fullWidth = await users.CreateAsync(new ApplicationUser { UserName = "ＢＯＢＢＹ".Normalize(System.Text.NormalizationForm.FormKC), Email = "other@example.test" });

        Assert.False(fullWidth.Succeeded);
        Assert.Contains(fullWidth.Errors, e => e.Code == "DuplicateUserName");
        Assert.NotNull(await users.FindByNameAsync("ｂｏｂｂｙ"));
    }
}
