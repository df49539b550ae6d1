using System.Net;

namespace ContentApi.Tests.Reliability;

/// <summary>OWASP API Security Top 10: injection.</summary>
public sealed partial class SecurityTests
{
    [Fact]
    public async Task Injection_InSearchFiltersAndSlugs_IsJustText()
    {
        using var admin = app.Client();
        using var anonymous = app.Client(key: null);
        var marker = TestData.Token("inj");
        var person = await admin.PostOk("/v1/people", new { slug = TestData.Slug("inj"), name = $"Robert'); drop table people; -- {marker}" });
        var before = await Sql.Scalar<long>(app.ConnectionString, "select (select count(*) from people) + (select count(*) from articles) + (select count(*) from api_keys)");
        var probes = 0;
        foreach (var injection in FuzzCorpus.Injections.Append("' union select key_hash::text, null from api_keys --").Append("%' and pg_sleep(3) is null and '%'='"))
        {
            var q = Uri.EscapeDataString(injection);
            foreach (var url in new[]
            {
                $"/v1/articles?q={q}", $"/v1/articles?tag={q}", $"/v1/articles?language={q}", $"/v1/quotes?q={q}", $"/v1/people?q={q}",
                $"/v1/sources?q={q}", $"/v1/sources?kind={q}", $"/v1/people/{q}", $"/v1/articles/{q}", $"/v1/articles?sort={q}", $"/v1/articles?include={q}", $"/v1/people?fields={q}",
            })
            {
                foreach (var client in new[] { admin, anonymous })
                {
                    var clock = System.Diagnostics.Stopwatch.StartNew();
                    var response = await client.GetAsync(url);
                    Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest or HttpStatusCode.NotFound,
                        $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                    Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2.5), $"{url} took {clock.Elapsed}: did pg_sleep run?");
                    if (response.StatusCode == HttpStatusCode.OK)
                        Assert.DoesNotContain("\\x", await response.Content.ReadAsStringAsync());
                    probes++;
                }
            }
        }
        var after = await Sql.Scalar<long>(app.ConnectionString, "select (select count(*) from people) + (select count(*) from articles) + (select count(*) from api_keys)");
        Assert.Equal(before, after);
        // The stored value is the text as typed, found by searching for it.
        Assert.Equal($"Robert'); drop table people; -- {marker}", (string?)(await admin.GetOk($"/v1/people/{person.Id()}"))["name"]);
        Assert.Contains(person.Id(), (await admin.GetOk($"/v1/people?q={marker}"))["items"]!.AsArray().Ids());
        figures.Add("injection probes (none changed or leaked anything)", probes);
    }
}
