using System.Text;

namespace ContentApi.Tests.Reliability.Fuzz;

/// <summary>Probes outside the document: methods an operation does not have, and paths it does not know.</summary>
public sealed partial class FuzzCampaign
{
    private async Task ProbeOutsideTheDocumentAsync(FuzzGenerator g)
    {
        var methods = new[] { "GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "PROPFIND" };
        foreach (var path in contract.Operations.GroupBy(o => o.Path))
        {
            var defined = path.Select(o => o.Method).ToHashSet();
            var sample = path.First();
            var url = ItemUrl(sample, WorldId(Resource(sample)).ToString());
            foreach (var method in methods.Where(m => !defined.Contains(m)))
            {
                await SendAsync(new FuzzRequest
                {
                    Op = null,
                    Category = "wrong-method",
                    Method = new HttpMethod(method),
                    Url = url,
                    Authorization = Admin,
                    Body = method is "POST" or "PUT" or "PATCH" ? Encoding.UTF8.GetBytes("{}") : null,
                    ContentType = method is "POST" or "PUT" or "PATCH" ? "application/json" : null,
                    Expected = new HashSet<int> { 405 },
                });
            }
            // RFC 9110 9.1: a general-purpose server supports HEAD wherever it supports GET.
            if (defined.Contains("GET"))
                await SendAsync(new FuzzRequest { Op = path.Single(o => o.Method == "GET"), Category = "head", Method = HttpMethod.Head, Url = url, Authorization = Admin, Expected = Ok });
        }
        foreach (var url in new[] { "/v1/unknown", "/v1/articles/x/y/z", "/v2/articles", "/v1//articles", "/v1/articles/x%2Fy", "/" + new string('p', 2000) })
            await SendAsync(new FuzzRequest { Op = null, Category = "unknown-path", Method = HttpMethod.Get, Url = url, Authorization = g.Chance(0.5) ? Admin : null, Expected = new HashSet<int> { 404 } });
    }
}
