using System.Text.RegularExpressions;
using DuckChat.Tests.Infrastructure;

namespace DuckChat.Tests.Deployment;

/// <summary>
/// The container files can't be built here (no Docker engine), so their shape is checked as text: the parts
/// the app depends on (non-root user, port, data volume, health check through <c>--healthcheck</c>) must be there.
/// </summary>
public sealed partial class DockerfileTests
{
    [Fact]
    public void DockerfileStages_AreSdkBuildThenAspNetRuntime()
    {
        // Arrange
        var instructions = ReadDockerfile();

        // Act
        var stages = instructions.Where(i => i.Keyword == "FROM").Select(i => i.Arguments).ToList();

        // Assert
        Assert.True(stages.Count >= 2, $"Expected a multi-stage build, found FROM: {string.Join(" | ", stages)}");
        Assert.Contains(stages, s => s.StartsWith("mcr.microsoft.com/dotnet/sdk:10.0", StringComparison.Ordinal));
        Assert.StartsWith("mcr.microsoft.com/dotnet/aspnet:10.0", stages[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void DockerfileBuildStage_PublishesWebInRelease()
    {
        // Arrange
        var instructions = ReadDockerfile();

        // Act
        var runs = instructions.Where(i => i.Keyword == "RUN").Select(i => i.Arguments).ToList();

        // Assert
        Assert.Contains(runs, r => r.Contains("dotnet restore", StringComparison.Ordinal));
        Assert.Contains(runs, r => r.Contains("dotnet publish", StringComparison.Ordinal)
                                   && r.Contains("DuckChat.Web", StringComparison.Ordinal)
                                   && r.Contains("-c Release", StringComparison.Ordinal));
    }

    [Fact]
    public void DockerfileUser_IsNonRoot()
    {
        // Arrange
        var finalStage = FinalStage(ReadDockerfile());

        // Act
        var user = finalStage.LastOrDefault(i => i.Keyword == "USER")?.Arguments;

        // Assert
        Assert.NotNull(user);
        Assert.DoesNotMatch(@"^(root|0)(:|$)", user);
        Assert.True(user is "$APP_UID" or "${APP_UID}" or "app" or "1654", $"Unexpected USER '{user}'");
    }

    [Fact]
    public void DockerfilePort_Is8080()
    {
        // Arrange
        var finalStage = FinalStage(ReadDockerfile());

        // Act
        var exposed = finalStage.Where(i => i.Keyword == "EXPOSE").SelectMany(i => Words(i.Arguments)).ToList();
        var environment = EnvironmentOf(finalStage);

        // Assert
        Assert.Contains("8080", exposed);
        Assert.Equal("8080", environment.GetValueOrDefault("ASPNETCORE_HTTP_PORTS"));
    }

    [Fact]
    public void DockerfileDataDirectory_IsVolumeOwnedByAppUser()
    {
        // Arrange
        var finalStage = FinalStage(ReadDockerfile());

        // Act
        var dataDirectory = EnvironmentOf(finalStage).GetValueOrDefault("DuckChat__Database__DataDirectory");
        var volumes = finalStage.Where(i => i.Keyword == "VOLUME").SelectMany(i => Words(i.Arguments.Trim('[', ']'))).Select(v => v.Trim('"', ',')).ToList();
        var runs = finalStage.Where(i => i.Keyword == "RUN").Select(i => i.Arguments).ToList();

        // Assert
        Assert.Equal("/data", dataDirectory);
        Assert.Contains("/data", volumes);
        Assert.Contains(runs, r => r.Contains("chown", StringComparison.Ordinal) && r.Contains("/data", StringComparison.Ordinal));
    }

    [Fact]
    public void DockerfileHealthcheck_UsesHealthcheckArgument()
    {
        // Arrange
        var finalStage = FinalStage(ReadDockerfile());

        // Act
        var healthcheck = finalStage.SingleOrDefault(i => i.Keyword == "HEALTHCHECK")?.Arguments;

        // Assert
        Assert.NotNull(healthcheck);
        Assert.Matches(@"CMD\s+\[\s*""dotnet""\s*,\s*""DuckChat\.Web\.dll""\s*,\s*""--healthcheck""\s*\]", healthcheck);
    }

    [Fact]
    public void DockerfileEntrypoint_RunsPublishedDll()
    {
        // Arrange
        var finalStage = FinalStage(ReadDockerfile());

        // Act
        var entrypoint = finalStage.LastOrDefault(i => i.Keyword == "ENTRYPOINT")?.Arguments;

        // Assert
        Assert.NotNull(entrypoint);
        Assert.Matches(@"^\[\s*""dotnet""\s*,\s*""DuckChat\.Web\.dll""\s*\]$", entrypoint);
    }

    [Fact]
    public void Dockerignore_ExcludesBuildOutputAndLocalState()
    {
        // Arrange
        var path = Path.Combine(TestPaths.RepoRoot, ".dockerignore");

        // Act
        var patterns = File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();

        // Assert
        foreach (var excluded in new[] { "bin", "obj", "App_Data", ".git", "TestResults" })
        {
            Assert.True(patterns.Any(p => p.TrimEnd('/') == excluded || p.TrimEnd('/') == $"**/{excluded}"),
                $".dockerignore does not exclude {excluded}: {string.Join(", ", patterns)}");
        }
    }

    [Fact]
    public void Compose_RunsTwoReplicasOnSqlServer_BehindTheNginxTemplate_WithRedis()
    {
        // Arrange
        var path = Path.Combine(TestPaths.RepoRoot, "compose.yaml");

        // Act
        var compose = File.ReadAllText(path);

        // Assert
        Assert.Contains("mcr.microsoft.com/mssql/server:2022-latest", compose, StringComparison.Ordinal);
        Assert.Matches(@"DuckChat__Database__Provider\s*[:=]\s*SqlServer", compose);
        Assert.Matches(@"ConnectionStrings__DuckChat\s*[:=].*Server=sql\b.*TrustServerCertificate=True", compose);
        Assert.Contains("ACCEPT_EULA", compose, StringComparison.Ordinal);
        Assert.Matches(@"replicas:\s*2", compose);
        Assert.Matches(@"DuckChat__Redis__Configuration\s*[:=]\s*""?redis:6379\b", compose);
        Assert.Matches(@"DuckChat__Proxy__KnownNetworks__0\s*[:=]\s*172\.30\.89\.0/24", compose);
        Assert.Matches(@"subnet:\s*172\.30\.89\.0/24", compose);
        Assert.Matches(@"image:\s*nginx:", compose);
        Assert.Contains("./deploy/nginx/templates:/etc/nginx/templates", compose, StringComparison.Ordinal);
        Assert.Matches(@"image:\s*redis:", compose);
        Assert.Matches(@"condition:\s*service_healthy", compose);
        var templateNames = System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(NginxProxy.TemplatePath), @"\$\{(DUCKCHAT_[A-Z_]+)\}")
            .Select(m => m.Groups[1].Value).Distinct();
        Assert.All(templateNames, name => Assert.Matches($@"\b{name}\s*:", compose)); // the proxy service sets every name the template uses
    }

    [Fact]
    public void Compose_GivesTheAppAManagementPort_ThatIsNeitherPublishedNorProxied()
    {
        // Arrange
        var compose = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "compose.yaml"));

        // Act
        var management = ManagementUrl().Match(compose);

        // Assert
        Assert.True(management.Success, "compose.yaml gives the app no DuckChat__Management__Urls.");
        var port = management.Groups["port"].Value;
        Assert.NotEqual("8080", port);
        var published = PortLists().Matches(compose).Select(m => m.Groups["entries"].Value).ToList();
        Assert.NotEmpty(published); // the proxy's
        Assert.DoesNotContain(published, entries => entries.Contains(port, StringComparison.Ordinal));
        Assert.Matches(@"DUCKCHAT_SERVERS:\s*""server app:8080;""", compose);
    }

    [Fact]
    public void Compose_HasNoDefaultSecret_RedisAndSqlServerPasswordsAreRequired()
    {
        // Arrange
        var compose = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "compose.yaml"));

        // Act
        var variables = ComposeVariable().Matches(compose).Select(m => (Name: m.Groups[1].Value, Operator: m.Groups[2].Value, Text: m.Groups[3].Value)).ToList();
        var secrets = variables.Where(v => v.Name.Contains("PASSWORD", StringComparison.Ordinal) || v.Name.Contains("SECRET", StringComparison.Ordinal)).ToList();

        // Assert
        // A secret either must be given (${NAME:?message}) or is empty unless given (optional, like the first admin's).
        Assert.All(secrets, v => Assert.True(v.Operator == ":?" || (v.Operator == ":-" && v.Text.Length == 0), $"{v.Name} has a default in compose.yaml"));
        Assert.Contains(secrets, v => v.Name == "MSSQL_SA_PASSWORD" && v.Operator == ":?");
        Assert.Contains(secrets, v => v.Name == "REDIS_PASSWORD" && v.Operator == ":?");
        Assert.Matches(@"Password=\$\{MSSQL_SA_PASSWORD:\?", compose); // the app's connection string uses it, not a literal
        Assert.Matches(@"DuckChat__Redis__Configuration\s*:\s*""redis:6379,password=\$\{REDIS_PASSWORD:\?", compose);
        Assert.Matches(@"redis-server\b[^\n]*--requirepass", compose);
        Assert.DoesNotMatch(@"(?m)^\s*ports:\s*\n\s*-\s*""?\d+:6379", compose); // Redis is not published
    }

    private sealed record Instruction(string Keyword, string Arguments);

    /// <summary>Dockerfile instructions with line continuations joined and comments dropped.</summary>
    private static List<Instruction> ReadDockerfile()
    {
        var lines = File.ReadAllLines(Path.Combine(TestPaths.RepoRoot, "Dockerfile"));
        var instructions = new List<Instruction>();
        var current = "";
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.StartsWith('#'))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                current += line[..^1] + " ";
                continue;
            }

            current += line;
            if (current.Trim().Length > 0)
            {
                var match = InstructionPattern().Match(current.Trim());
                Assert.True(match.Success, $"Unparsable Dockerfile line: {current}");
                instructions.Add(new Instruction(match.Groups[1].Value.ToUpperInvariant(), Whitespace().Replace(match.Groups[2].Value.Trim(), " ")));
            }

            current = "";
        }

        return instructions;
    }

    private static List<Instruction> FinalStage(List<Instruction> instructions)
    {
        var lastFrom = instructions.FindLastIndex(i => i.Keyword == "FROM");
        Assert.True(lastFrom >= 0, "The Dockerfile has no FROM.");
        return instructions.Skip(lastFrom).ToList();
    }

    /// <summary>ENV values of a stage, from both the <c>ENV a=b c=d</c> and the legacy <c>ENV a b</c> forms.</summary>
    private static Dictionary<string, string> EnvironmentOf(List<Instruction> stage)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var env in stage.Where(i => i.Keyword == "ENV"))
        {
            var words = Words(env.Arguments);
            if (words.Length == 2 && !words[0].Contains('=', StringComparison.Ordinal))
            {
                environment[words[0]] = words[1];
                continue;
            }

            foreach (var pair in words)
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                Assert.True(equals > 0, $"Unparsable ENV: {env.Arguments}");
                environment[pair[..equals]] = pair[(equals + 1)..].Trim('"');
            }
        }

        return environment;
    }

    private static string[] Words(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [GeneratedRegex(@"^([A-Za-z]+)\s+(.*)$", RegexOptions.Singleline)]
    private static partial Regex InstructionPattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"DuckChat__Management__Urls:\s*http://0\.0\.0\.0:(?<port>\d+)")]
    private static partial Regex ManagementUrl();

    /// <summary>Every <c>ports:</c> list, its entries in the group "entries".</summary>
    [GeneratedRegex(@"^[ ]*ports:[ ]*\n(?<entries>(?:[ ]*-.*\n)+)", RegexOptions.Multiline)]
    private static partial Regex PortLists();

    /// <summary>A compose variable reference: its name, its operator (<c>:?</c>, <c>:-</c>, ... or none) and the text after it.</summary>
    [GeneratedRegex(@"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[?-])([^}]*))?\}")]
    private static partial Regex ComposeVariable();
}
