namespace DuckChat.Web.Push;

/// <summary>
/// Lib.Net.Http.WebPush names a push's audience (the VAPID token's <c>aud</c>) as scheme and host, without the port.
/// RFC 8292 asks for the endpoint's origin, which includes a port that is not the default: for such an endpoint (a
/// push service inside the organisation, named in AllowedHosts) this signs the token again with the whole origin.
/// Vendors' push services are on 443, where both are the same.
/// </summary>
public sealed class VapidAudience(VapidKeys keys) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is { IsDefaultPort: false } endpoint && request.Headers.Authorization is { Scheme: "vapid" })
        {
            using var vapid = await keys.AuthenticationAsync(cancellationToken);
            request.Headers.Authorization = new("vapid", vapid.GetVapidSchemeAuthenticationHeaderValueParameter(endpoint.GetLeftPart(UriPartial.Authority)));
        }

        return await base.SendAsync(request, cancellationToken);
    }
}
