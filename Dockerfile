# syntax=docker/dockerfile:1
# DuckChat as a container image. Build: docker build -t duckchat .   Run: see compose.yaml.
# Configured by environment variables only (DuckChat__Section__Setting, ConnectionStrings__DuckChat, ...);
# the published appsettings.json holds the defaults they override.

# ---- build: restore and publish DuckChat.Web in Release ----
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src

# Restore first, from the project files alone, so the package layer is reused until a package changes.
# (DuckChat.Web.csproj sets RequiresAspNetWebAssets: without it a restore that sees no .razor file leaves
# out the package holding _framework/blazor.web.js, and the image would answer 404 for it.)
# Both restore and publish name the image's architecture (BuildKit sets TARGETARCH: amd64, arm64), so the image holds
# only that platform's native libraries (SkiaSharp's, built without fontconfig or freetype dependencies, and SQLite's)
# instead of every platform's, which are several hundred megabytes.
ARG TARGETARCH
COPY Directory.Build.props Directory.Packages.props ./
COPY DuckChat.Web/DuckChat.Web.csproj DuckChat.Web/
RUN dotnet restore DuckChat.Web/DuckChat.Web.csproj -a "$TARGETARCH"

# The root appsettings*.json are linked into DuckChat.Web and published next to the app.
COPY appsettings.json appsettings.Development.json ./
COPY DuckChat.Web/ DuckChat.Web/
RUN dotnet publish DuckChat.Web/DuckChat.Web.csproj -c Release -o /app/publish --no-restore -a "$TARGETARCH" -p:UseAppHost=false

# ---- runtime: ASP.NET Core runtime only, as the image's non-root user ----
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app

# The SQLite file (default provider) and the data-protection keys (keys/) live here; the image's
# non-root user must own it, and a new named volume mounted here inherits that ownership.
RUN mkdir -p /data && chown "$APP_UID:$APP_UID" /data

COPY --from=build /app/publish .

ENV ASPNETCORE_HTTP_PORTS=8080 \
    DuckChat__Database__DataDirectory=/data

VOLUME /data
EXPOSE 8080
USER $APP_UID

# `--healthcheck` asks the app's /health/live over loopback and exits 0 or 1, so no curl is needed. It reads the
# same settings as the app: with DuckChat__Management__Urls set, it asks the management listener.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["dotnet", "DuckChat.Web.dll", "--healthcheck"]

ENTRYPOINT ["dotnet", "DuckChat.Web.dll"]
