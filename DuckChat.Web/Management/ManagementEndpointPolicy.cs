using Microsoft.AspNetCore.Routing.Matching;

namespace DuckChat.Web.Management;

/// <summary>Marks an endpoint as one the management listener serves (see <see cref="ManagementExtensions.RequireManagementListener{TBuilder}"/>).</summary>
public sealed class ManagementEndpointMetadata
{
    public static ManagementEndpointMetadata Instance { get; } = new();
}

/// <summary>
/// With a management listener, a request on its ports matches only management endpoints and a request on any other
/// port matches every endpoint but those, so each side answers the other's addresses as it answers any unknown one.
/// Without one, it does nothing.
/// </summary>
public sealed class ManagementEndpointPolicy(ManagementListener listener) : MatcherPolicy, IEndpointSelectorPolicy
{
    public override int Order => 0;

    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints) => listener.IsConfigured;

    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        var onManagementPort = listener.Accepts(httpContext);
        for (var i = 0; i < candidates.Count; i++)
        {
            var forManagement = candidates[i].Endpoint.Metadata.GetMetadata<ManagementEndpointMetadata>() is not null;
            if (forManagement != onManagementPort)
            {
                candidates.SetValidity(i, false);
            }
        }

        return Task.CompletedTask;
    }
}
