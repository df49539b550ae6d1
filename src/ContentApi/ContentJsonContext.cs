using System.Text.Json;
using System.Text.Json.Serialization;
using ContentApi.Articles;
using ContentApi.Infrastructure;
using ContentApi.Keys;
using ContentApi.People;
using ContentApi.Quotes;
using ContentApi.Revisions;
using ContentApi.Sources;
using ContentApi.Sync;
using ContentApi.Webhooks;

namespace ContentApi;

/// <summary>
/// Compile-time JSON metadata for the response contracts, first in the resolver chain of the options that write
/// responses (<see cref="ContentJson.ForWriting"/>): no reflection-built serializers. Anything not listed still
/// works through the reflection resolver behind it; naming, enums and escaping come from the runtime options.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ArticleResponse))]
[JsonSerializable(typeof(Page<ArticleResponse>))]
[JsonSerializable(typeof(QuoteResponse))]
[JsonSerializable(typeof(Page<QuoteResponse>))]
[JsonSerializable(typeof(PersonResponse))]
[JsonSerializable(typeof(Page<PersonResponse>))]
[JsonSerializable(typeof(SourceResponse))]
[JsonSerializable(typeof(Page<SourceResponse>))]
[JsonSerializable(typeof(SyncPage))]
[JsonSerializable(typeof(KeyResponse))]
[JsonSerializable(typeof(CreatedKeyResponse))]
[JsonSerializable(typeof(Page<RevisionSummary>))]
[JsonSerializable(typeof(RevisionResponse))]
[JsonSerializable(typeof(RevisionDiff))]
[JsonSerializable(typeof(WebhookResponse))]
[JsonSerializable(typeof(WebhookWithSecretResponse))]
[JsonSerializable(typeof(WebhookListResponse))]
[JsonSerializable(typeof(DeliveryListResponse))]
[JsonSerializable(typeof(DeliveryResponse))]
public sealed partial class ContentJsonContext : JsonSerializerContext;
