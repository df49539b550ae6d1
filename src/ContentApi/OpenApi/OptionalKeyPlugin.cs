namespace ContentApi.OpenApi;

/// <summary>
/// A Swagger UI plugin: no lock icon on operations whose key is optional (security [bearer, {}], the reads an
/// anonymous reader may make). Swagger UI draws the lock for any requirement list but [{}], yet the document must
/// keep the bearer alternative, or Swagger UI and generated clients would not send an editor's key on reads. Only the
/// summary line's icon changes: "Try it out" still sends the key once authorized.
/// </summary>
public static class OptionalKeyPlugin
{
    public const string Name = "ContentApiOptionalKey";

    public const string FileName = "optional-key.js";

    public const string Script = """
        // Swagger UI plugin (see src/ContentApi/OpenApi/OptionalKeyPlugin.cs): no lock where the key is optional.
        window.ContentApiOptionalKey = function () {
          return {
            wrapComponents: {
              OperationSummary: function (Original, system) {
                return function (props) {
                  var security = props.operationProps && props.operationProps.get("security");
                  if (security && security.some(function (requirement) { return requirement.isEmpty(); })) {
                    props = Object.assign({}, props, { operationProps: props.operationProps.set("security", security.clear()) });
                  }
                  return system.React.createElement(Original, props);
                };
              },
            },
          };
        };
        """;
}
