namespace DuckChat.Web.Backup;

/// <summary>
/// <c>dotnet DuckChat.Web.dll --backup DIR</c> takes a backup while other instances serve from the same files;
/// <c>--restore DIR</c> puts one in place for a fresh data folder. Both use the app's own configuration (so the same
/// database, key ring and file store), change nothing else, and exit 0 when done, 1 with a message when not.
/// </summary>
public static class BackupCommand
{
    public const string BackupArgument = "--backup";
    public const string RestoreArgument = "--restore";

    /// <summary>The command <paramref name="args"/> asks for, or null when they ask for neither.</summary>
    public static Task<int>? RunIfAsked(WebApplication app, string[] args)
    {
        if (Array.IndexOf(args, BackupArgument) is var backup and >= 0)
        {
            return RunAsync(FolderAfter(args, backup), folder => app.Services.GetRequiredService<BackupWriter>().WriteAsync(folder, CancellationToken.None));
        }

        if (Array.IndexOf(args, RestoreArgument) is var restore and >= 0)
        {
            return RunAsync(FolderAfter(args, restore), folder => app.Services.GetRequiredService<BackupRestorer>().RestoreAsync(folder, CancellationToken.None));
        }

        return null;
    }

    private static string? FolderAfter(string[] args, int at) =>
        at + 1 < args.Length && !args[at + 1].StartsWith("--", StringComparison.Ordinal) ? args[at + 1] : null;

    private static async Task<int> RunAsync(string? folder, Func<string, Task<BackupOutcome>> run)
    {
        if (string.IsNullOrWhiteSpace(folder))
        {
            await Console.Error.WriteLineAsync($"Name the backup folder: {BackupArgument} <folder> or {RestoreArgument} <folder>.");
            return 1;
        }

        var outcome = await run(folder);
        if (!outcome.Succeeded)
        {
            await Console.Error.WriteLineAsync(outcome.Message);
            return 1;
        }

        Console.WriteLine(outcome.Message);
        return 0;
    }
}
