namespace DuckChat.Tests.Infrastructure;

/// <summary>
/// Frees what a shared fixture held (an app's host, the browser) once its tests have made every assertion. A step that
/// throws then must not fail the whole run without naming a test, as xUnit's cleanup failures do: it is written to
/// standard error instead, one line starting <see cref="Mark"/>, which the run's results keep and test.sh prints at its end.
/// </summary>
public static class Teardown
{
    public const string Mark = "TEARDOWN FAILED";

    public static async ValueTask RunAsync(string what, Func<ValueTask> step)
    {
        try
        {
            await step();
        }
        catch (Exception e)
        {
            await Console.Error.WriteLineAsync($"{Mark} {what}: {e.ToString().ReplaceLineEndings(" | ")}");
        }
    }
}
