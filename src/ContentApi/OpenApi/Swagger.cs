using System.Reflection;
using Microsoft.OpenApi;

namespace ContentApi.OpenApi;

public static class Swagger
{
    // Shown at the top of Swagger UI; the conventions a client needs before reading any operation (../shared/API.md).
    private const string Description = """
        Articles, quotes, people and sources for newsrooms, as cacheable, paginated JSON. Generate a typed client
        from this document (`openapi/v1.json` in the repository); the README's "For front-end teams" section shows how.

        ### Conventions
        - **Paths and JSON.** Everything lives under `/v1`. Bodies are UTF-8 JSON with camelCase names. Instants are
          RFC 3339 in UTC (`2023-09-06T10:15:00Z`), calendar dates are `YYYY-MM-DD`.
        - **Identity.** Every resource has an `id` (a time-ordered UUID v7), `createdAt`, `updatedAt` and a `version`
          that goes up by one with every change. Articles, people and sources also have a unique slug
          (lowercase words joined by single hyphens, at most 120 characters); `GET /v1/{resource}/{idOrSlug}` takes either.
        - **Lists.** A page is `{ "items": [...], "nextCursor": "..." }` plus a `Link: <...>; rel="next"` header. Pass
          `nextCursor` back as `cursor` until it is `null`. `limit` is 1 to 100 (default 20). Cursors are opaque; an
          edited one is a 400. Unknown query parameters and filter values are a 400 too, never silently ignored.
        - **Shaping.** `include=` embeds related resources next to their ids (`include=quotes.speaker,quotes.source` on
          an article); `fields=` keeps only the named top-level fields (`id` always stays).
        - **Auth.** Send `Authorization: Bearer <api key>` (the **Authorize** button). Without a key you read as an
          anonymous reader, unless the server turns that off: published content only. Editors see drafts and write;
          admins also manage keys.
        - **Caching and concurrency.** GETs carry a strong `ETag`: send it as `If-None-Match` to get a bodiless 304, and
          as `If-Match` on `PUT`, `PATCH` and `DELETE` (428 without it, 412 when someone changed the resource first).
          `PATCH` takes a JSON Merge Patch (`application/merge-patch+json`).
        - **Errors.** Every non-2xx answer is `application/problem+json` (RFC 9457) with a stable `code`, such as
          `validation_failed` (with `errors` per field), `not_found` or `version_mismatch`. See the `Problem` schema.
        """;

    public static IServiceCollection AddContentApiSwagger(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(o =>
        {
            o.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "ContentApi",
                Version = "v1",
                Description = Description,
                Contact = new OpenApiContact { Name = "ContentApi maintainers" },
                // The repository carries no open-source licence; saying so is what Redocly's info-license asks for.
                License = new OpenApiLicense { Name = "Proprietary: all rights reserved", Identifier = "LicenseRef-Proprietary" },
            });
            // Relative, so Swagger UI and generated clients talk to whichever host served the document.
            o.AddServer(new OpenApiServer { Url = "/", Description = "The server that served this document" });
            o.IncludeXmlComments(Path.Combine(AppContext.BaseDirectory, $"{Assembly.GetExecutingAssembly().GetName().Name}.xml"), includeControllerXmlComments: false);
            o.SupportNonNullableReferenceTypes();
            o.DescribeAllParametersInCamelCase();
            // A $ref cannot carry a description in OpenAPI 3.0; allOf-wrapping keeps each property's own doc comment.
            o.UseAllOfToExtendReferenceSchemas();
            o.DocumentFilter<ProblemDocumentFilter>();
            o.DocumentFilter<BodyBlockDocumentFilter>();
            o.DocumentFilter<TaggedDataDocumentFilter>();
            o.DocumentFilter<EquivalentPathsDocumentFilter>();
            o.DocumentFilter<ConventionsDocumentFilter>();
            o.DocumentFilter<TagDocumentFilter>();
            o.DocumentFilter<NullableReferenceDocumentFilter>();
            o.DocumentFilter<MergePatchDocumentFilter>();
            o.DocumentFilter<FieldsDocumentFilter>();
            o.DocumentFilter<ResponseOrderDocumentFilter>();
            o.OperationFilter<RepresentationOperationFilter>();
            o.SchemaFilter<SampleExampleSchemaFilter>();
            o.SchemaFilter<PageSchemaFilter>();
            o.SchemaFilter<ValidationRulesSchemaFilter>();
            o.OperationFilter<ValidationRulesOperationFilter>();
            o.UseOneOfForPolymorphism();
            o.SelectDiscriminatorNameUsing(t => t == typeof(Articles.BodyBlock) ? "type" : null);
            o.AddSecurityDefinition("bearer", new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "API key: send `Authorization: Bearer YOUR_KEY`. Without one you read as an anonymous reader (published content only).",
            });
            o.OperationFilter<SecurityOperationFilter>();
        });
        return services;
    }

    public static WebApplication UseContentApiSwagger(this WebApplication app)
    {
        // A branch for /swagger only: as plain middleware both would match every API request's path against their
        // templates on its way to the endpoint (no difference measurable under load, but no reason to do it either).
        app.UseWhen(http => http.Request.Path.StartsWithSegments("/swagger"), swagger =>
        {
            // A file, not inline: the pages' Content-Security-Policy allows scripts from 'self' only.
            swagger.Use((http, next) => http.Request.Path == "/swagger/" + OptionalKeyPlugin.FileName
                ? Results.Text(OptionalKeyPlugin.Script, "text/javascript; charset=utf-8").ExecuteAsync(http)
                : next(http));
            swagger.UseSwagger(o => o.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1);
            swagger.UseSwaggerUI(o =>
            {
                o.SwaggerEndpoint("/swagger/v1/swagger.json", "ContentApi v1");
                o.DocumentTitle = "ContentApi";
                o.DisplayOperationId();
                o.DisplayRequestDuration();
                o.EnableDeepLinking();
                o.InjectJavascript(OptionalKeyPlugin.FileName);
            });
        });
        return app;
    }
}
