using System.Net;
using System.Net.Sockets;

namespace DuckChat.Tests.Infrastructure;

public static class TestPaths
{
    /// <summary>The repository root: the folder holding DuckChat.sln.</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>Debug or Release, whichever this test assembly was built in (the app was built the same way).</summary>
    public static string BuildConfiguration { get; } =
        new DirectoryInfo(AppContext.BaseDirectory).Parent!.Parent!.Name is var name && name is "Debug" or "Release" ? name : "Debug";

    public static string WebBuildOutput => Path.Combine(RepoRoot, "DuckChat.Web", "bin", BuildConfiguration, "net10.0");

    /// <summary>A fresh, empty temp folder; the caller deletes it.</summary>
    public static string NewTempDirectory(string purpose)
    {
        var path = Path.Combine(Path.GetTempPath(), "duckchat-tests", $"{purpose}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    public static void DeleteQuietly(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A process that is still shutting down may hold a file for a moment; the OS temp cleaner gets it.
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>True where CI runs the suite: a missing browser or server fails the test instead of skipping it.</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Fails under CI, skips elsewhere, with what to install.</summary>
    public static void RequireTool(bool present, string whatToInstall)
    {
        if (present)
        {
            return;
        }

        if (IsCi)
        {
            Assert.Fail($"Missing on this machine (CI=true): {whatToInstall}");
        }

        Assert.Skip($"Skipped: install {whatToInstall} to run this test.");
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DuckChat.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("DuckChat.sln not found above " + AppContext.BaseDirectory);
    }
}
