using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ContentApi.OpenApi;

/// <summary>
/// Who may call each operation: reads work without a key (as an anonymous reader) unless the server turns that off,
/// so their key is optional ({} is an alternative); writes need an editor key, /v1/keys an admin key. Swagger UI
/// draws its lock only on the operations that need a key (<see cref="OptionalKeyPlugin"/>).
/// </summary>
public sealed class SecurityOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var policies = context.ApiDescription.ActionDescriptor.EndpointMetadata
            .OfType<Microsoft.AspNetCore.Authorization.IAuthorizeData>().Select(a => a.Policy).ToList();
        if (policies.Count == 0) return;
        var bearer = new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", context.Document)] = [] };
        // The key first: tools that take the first requirement then send it; {} after it keeps the key optional.
        operation.Security = policies.Contains(Auth.Policies.Read) ? [bearer, new OpenApiSecurityRequirement()] : [bearer];
        var role = policies.Contains(Auth.Policies.Admin) ? "an admin key" : policies.Contains(Auth.Policies.Write) ? "an editor or admin key" : null;
        if (role is not null && operation.Description?.Contains("Needs ", StringComparison.Ordinal) != true)
            operation.Description = (operation.Description is { Length: > 0 } d ? d + " " : "") + $"Needs {role}.";
    }
}
