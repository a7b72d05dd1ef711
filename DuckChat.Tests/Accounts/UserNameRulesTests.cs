using DuckChat.Web.Accounts;

namespace DuckChat.Tests.Accounts;

public sealed class UserNameRulesTests
{
    [Theory]
    [InlineData("bob")]
    [InlineData("alice.smith")]
    [InlineData("j-doe_99")]
    [InlineData("Zoë")]
    [InlineData("abcdefghijklmnopqrstuvwxyz012345")]
    public void ValidHandle_IsAccepted(string userName) => Assert.True(UserNameRules.IsValid(userName));

    [Theory]
    [InlineData("ab")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456")]
    [InlineData("has space")]
    [InlineData("mail@host")]
    [InlineData("<script>")]
    [InlineData("")]
    public void InvalidHandle_IsRefused(string userName) => Assert.False(UserNameRules.IsValid(userName));
}
