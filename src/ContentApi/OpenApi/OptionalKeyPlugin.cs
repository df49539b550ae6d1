namespace ContentApi.OpenApi;

/// <summary>
/// A Swagger UI plugin: no lock icon on operations whose key is optional (security [bearer, {}], the reads an
/// anonymous reader may make). Swagger UI draws the lock for any requirement list but [{}], yet the document must
/// keep the bearer alternative, or Swagger UI and generated clients would not send an editor's key on reads. Only the
/// summary line's icon changes: "Try it out" still sends the key once authorized. Swashbuckle's way to name plugins
/// (ConfigObject.Plugins) evals their names, which the page's CSP forbids, so the script adds it as the bundle is made.
/// </summary>
public static class OptionalKeyPlugin
{
    public const string FileName = "optional-key.js";

    public const string Script = """
        // Swagger UI plugin (see src/ContentApi/OpenApi/OptionalKeyPlugin.cs): no lock where the key is optional.
        (function () {
          function optionalKey() {
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
          }
          // This file loads before swagger-ui-bundle.js, which assigns window.SwaggerUIBundle: wrap it as it arrives.
          var bundle;
          Object.defineProperty(window, "SwaggerUIBundle", {
            configurable: true,
            get: function () { return bundle; },
            set: function (original) {
              bundle = Object.assign(function (config) {
                config.plugins = (config.plugins || []).concat([optionalKey]);
                return original(config);
              }, original);
            },
          });
        })();
        """;
}
