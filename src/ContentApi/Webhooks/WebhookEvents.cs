namespace ContentApi.Webhooks;

/// <summary>The events a subscription can ask for (the outbox names them as entity + "." + what happened).</summary>
public static class WebhookEvents
{
    public const string All = "*";
    public const string Ping = "ping";

    public static readonly IReadOnlySet<string> Known = new HashSet<string>(
        new[] { "article", "quote", "person", "source" }.SelectMany(t => new[] { t + ".created", t + ".updated", t + ".deleted" })
            .Concat(["article.published", "article.unpublished", All]),
        StringComparer.Ordinal);
}
