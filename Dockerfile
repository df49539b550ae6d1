# syntax=docker/dockerfile:1
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props ContentApi.sln ./
COPY src/ContentApi/ContentApi.csproj src/ContentApi/
RUN dotnet restore src/ContentApi/ContentApi.csproj
COPY db/ db/
COPY src/ src/
RUN dotnet publish src/ContentApi/ContentApi.csproj -c Release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
ENV ASPNETCORE_URLS=http://0.0.0.0:8080
EXPOSE 8080
# The Data Protection key ring's mount point (docker-compose.yml): a new named volume takes this owner, so "app" can write.
RUN mkdir /keyring && chown app /keyring
# The aspnet image ships an unprivileged "app" user (UID 1654).
USER app
ENTRYPOINT ["dotnet", "ContentApi.dll"]
