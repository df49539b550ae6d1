using System.Reflection;
using Microsoft.OpenApi;

namespace ContentApi.Infrastructure;

public static class Swagger
{
    public static IServiceCollection AddContentApiSwagger(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(o =>
        {
            o.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "ContentApi",
                Version = "v1",
                Description = "Articles, quotes, people and sources for newsrooms, as cacheable, paginated JSON.",
            });
            o.IncludeXmlComments(Path.Combine(AppContext.BaseDirectory, $"{Assembly.GetExecutingAssembly().GetName().Name}.xml"), includeControllerXmlComments: false);
            o.SupportNonNullableReferenceTypes();
            o.DescribeAllParametersInCamelCase();
            o.DocumentFilter<ProblemDocumentFilter>();
            o.DocumentFilter<BodyBlockDocumentFilter>();
            o.OperationFilter<RepresentationOperationFilter>();
            o.SchemaFilter<SampleExampleSchemaFilter>();
            o.UseOneOfForPolymorphism();
            o.SelectDiscriminatorNameUsing(t => t == typeof(Articles.BodyBlock) ? "type" : null);
            o.AddSecurityDefinition("bearer", new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "API key: Authorization: Bearer <key>. Without one you read as an anonymous reader.",
            });
            o.AddSecurityRequirement(document => new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference("bearer", document)] = [],
            });
        });
        return services;
    }

    public static WebApplication UseContentApiSwagger(this WebApplication app)
    {
        app.UseSwagger();
        app.UseSwaggerUI(o =>
        {
            o.SwaggerEndpoint("/swagger/v1/swagger.json", "ContentApi v1");
            o.DocumentTitle = "ContentApi";
        });
        return app;
    }
}
