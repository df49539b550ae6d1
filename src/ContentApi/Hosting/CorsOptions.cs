namespace ContentApi.Hosting;

public sealed class CorsOptions
{
    /// <summary>Origins allowed to call the API from browsers. Empty (the default): CORS is off.</summary>
    public string[] AllowedOrigins { get; set; } = [];
}
