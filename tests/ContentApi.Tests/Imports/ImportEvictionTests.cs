using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ContentApi.Tests.Delivery;

namespace ContentApi.Tests.Imports;

/// <summary>Only a committed import evicts the readers' output cache; a dry run writes nothing and leaves it alone.</summary>
[Collection(ApiCollection.Name)]
public sealed class ImportEvictionTests(ContentApiFactory factory)
{
    private readonly HttpClient admin = factory.Admin();
    private readonly HttpClient anonymous = factory.Anonymous();

    private static HttpContent Story(string tag)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes($"""
            Hujan Deras di {tag}
            Hujan deras mengguyur Desa {tag} sejak Minggu malam. "Kami memantau ketinggian air," kata Kepala Desa Surya {tag}wan.
            """));
        content.Headers.ContentType = new MediaTypeHeaderValue("text/plain") { CharSet = "utf-8" };
        return content;
    }

    [Fact]
    public async Task DryRun_LeavesReadersCachedAnswers_ACommittedImportEvictsThem()
    {
        var tag = TestData.Token("Karang");
        var article = await admin.CreatePublishedArticle(title: "Berita " + DeliveryTestKit.Marker());
        var url = $"/v1/articles/{article.Id()}";
        var original = (string)article["title"]!;
        // Asked twice, so the answer is stored (a URL asked once is not, CacheAdmission).
        Assert.Equal(original, (string?)(await anonymous.GetOk(url))["title"]);
        Assert.Equal(original, (string?)(await anonymous.GetOk(url))["title"]);

        // Changed behind the API's back: only an eviction can make readers see it.
        var changed = "Diam-diam " + DeliveryTestKit.Marker();
        await DeliveryTestKit.Execute(factory.ConnectionString, "update articles set title = @t where id = @id", ("t", changed), ("id", article.Id()));
        Assert.Equal(original, (string?)(await anonymous.GetOk(url))["title"]);

        var dryRun = await admin.PostAsync("/v1/imports?dryRun=true", Story(tag));
        Assert.Equal(HttpStatusCode.OK, dryRun.StatusCode);
        Assert.Equal(original, (string?)(await anonymous.GetOk(url))["title"]);

        var commit = await admin.PostAsync("/v1/imports", Story(tag));
        Assert.Equal(HttpStatusCode.Created, commit.StatusCode);
        Assert.Equal(changed, (string?)(await anonymous.GetOk(url))["title"]);
    }
}
