// Exercises a running ContentApi through the generated client only (openapi-fetch + the types from openapi/v1.json):
// reads the sample story with its quotes' speakers and sources, pages through quotes by cursor, and creates a person
// and a quote with the admin key. Run by scripts/frontend-check.sh; CONTENTAPI_URL and CONTENTAPI_ADMIN_KEY pick the API.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { baseUrl, editor, reader, sampleSlug, whole, type Problem, type Schemas } from "./api.js";

type Check = { name: string; run: () => Promise<void> };

const checks: Check[] = [
  {
    name: "reads the sample story with include=quotes.speaker,quotes.source",
    run: async () => {
      const { data: answer, error, response } = await reader.GET("/v1/articles/{idOrSlug}", {
        params: { path: { idOrSlug: sampleSlug }, query: { include: "quotes.speaker,quotes.source" } },
      });
      assert.equal(response.status, 200, `GET article: ${JSON.stringify(error)}`);
      const data = whole<Schemas["ArticleResponse"]>(answer);
      assert.equal(data.slug, sampleSlug);
      assert.equal(data.title, "AS Wanti-wanti Korut soal Pasokan Senjata untuk Rusia");
      assert.ok(response.headers.get("ETag"), "no ETag");

      const quotes: Schemas["QuoteResponse"][] = data.quotes ?? [];
      assert.equal(quotes.length, data.quoteIds.length, "include=quotes did not embed every quote");
      const speakers = quotes.map((q) => {
        assert.ok(q.speaker, `quote ${q.id} has no embedded speaker`);
        assert.equal(q.speaker.id, q.speakerId, "embedded speaker is not the quote's speakerId");
        if (q.sourceId) assert.equal(q.source?.id, q.sourceId, "embedded source is not the quote's sourceId");
        return q.speaker.slug;
      });
      assert.deepEqual(speakers.sort(), ["dmitry-peskov", "jake-sullivan", "kamala-harris"]);
      const sullivan = quotes.find((q) => q.speaker?.slug === "jake-sullivan");
      assert.equal(sullivan?.speakerRole, "Penasihat Keamanan Nasional AS");
      assert.equal(sullivan?.source?.slug, "afp");

      // The body is typed blocks: narrowing on `type` gives each block its own fields.
      const quoteBlocks = data.body.flatMap((b) => (b.type === "quote" ? [b.quoteId] : []));
      assert.ok(quoteBlocks.every((id) => data.quoteIds.includes(id)), "a quote block points outside quoteIds");
    },
  },
  {
    name: "answers 304 to If-None-Match with the current ETag",
    run: async () => {
      const first = await reader.GET("/v1/articles/{idOrSlug}", { params: { path: { idOrSlug: sampleSlug } } });
      const etag = first.response.headers.get("ETag");
      assert.ok(etag);
      const again = await reader.GET("/v1/articles/{idOrSlug}", {
        params: { path: { idOrSlug: sampleSlug }, header: { "If-None-Match": etag } },
      });
      assert.equal(again.response.status, 304);
    },
  },
  {
    name: "pages through /v1/quotes following nextCursor",
    run: async () => {
      const seen = new Set<string>();
      let cursor: string | undefined;
      let pages = 0;
      do {
        const { data: answer, error, response } = await reader.GET("/v1/quotes", { params: { query: { limit: 2, cursor } } });
        assert.equal(response.status, 200, `GET quotes: ${JSON.stringify(error)}`);
        const data = whole<Schemas["QuoteResponsePage"]>(answer);
        assert.ok(data.items.length <= 2, "page larger than limit");
        for (const q of data.items) {
          assert.ok(!seen.has(q.id), `quote ${q.id} came twice`);
          seen.add(q.id);
        }
        const link = response.headers.get("Link");
        if (data.nextCursor) assert.match(link ?? "", /rel="next"/, "next page without a Link header");
        cursor = data.nextCursor ?? undefined;
        pages++;
        assert.ok(pages < 1000, "cursor never ends");
      } while (cursor);
      assert.ok(seen.size >= 3, `only ${seen.size} quotes`);
      assert.ok(pages >= 2, "expected more than one page at limit=2");
    },
  },
  {
    name: "answers problem+json with a typed code",
    run: async () => {
      const { data, error, response } = await reader.GET("/v1/quotes/{id}", { params: { path: { id: randomUUID() } } });
      assert.equal(response.status, 404);
      assert.equal(data, undefined);
      assert.match(response.headers.get("Content-Type") ?? "", /^application\/problem\+json/);
      const problem: Problem | undefined = error;
      assert.equal(problem?.code, "not_found");
      assert.equal(problem?.status, 404);
    },
  },
  {
    name: "creates a person and a quote with the admin key",
    run: async () => {
      const suffix = randomUUID().slice(0, 8);
      const person = await editor.POST("/v1/people", {
        body: { slug: `client-check-${suffix}`, name: `Client Check ${suffix}`, aliases: [], title: "Juru bicara" },
      });
      assert.equal(person.response.status, 201, `POST person: ${JSON.stringify(person.error)}`);
      assert.ok(person.data);

      const text = `Kami memeriksa klien yang dihasilkan (${suffix}).`;
      const created = await editor.POST("/v1/quotes", {
        body: { text, language: "id", type: "direct", speakerId: person.data.id, speakerRole: "Juru bicara", saidOn: "2023-09-07" },
      });
      assert.equal(created.response.status, 201, `POST quote: ${JSON.stringify(created.error)}`);
      assert.ok(created.data);
      assert.equal(created.data.text, text);
      assert.equal(created.data.version, 1);
      assert.ok(created.response.headers.get("Location")?.includes(created.data.id), "Location does not name the quote");
      assert.ok(created.response.headers.get("ETag"), "no ETag on create");

      // No published article uses the new quote yet, so only editors can read it back.
      const read = await editor.GET("/v1/quotes/{id}", { params: { path: { id: created.data.id }, query: { include: "speaker" } } });
      assert.equal(read.response.status, 200, `GET new quote: ${JSON.stringify(read.error)}`);
      assert.equal(whole<Schemas["QuoteResponse"]>(read.data).speaker?.name, `Client Check ${suffix}`);

      // A merge patch that clears a field: the patch schema makes occasion nullable, so null is a typed value.
      const patched = await editor.PATCH("/v1/quotes/{id}", {
        params: { path: { id: created.data.id }, header: { "If-Match": created.response.headers.get("ETag") ?? "" } },
        body: { speakerRole: null, occasion: "Jumpa pers" },
        headers: { "Content-Type": "application/merge-patch+json" },
      });
      assert.equal(patched.response.status, 200, `PATCH quote: ${JSON.stringify(patched.error)}`);
      assert.equal(patched.data?.speakerRole, null, "speakerRole was not cleared");
      assert.equal(patched.data?.occasion, "Jumpa pers");
      assert.equal(patched.data?.version, 2);

      const anonymous = await reader.POST("/v1/quotes", {
        body: { text, language: "id", type: "direct", speakerId: person.data.id },
      });
      assert.equal(anonymous.response.status, 401);
      assert.equal(anonymous.error?.code, "unauthorized");
    },
  },
  {
    name: "syncs to the end, applying upserts and tombstones to a local store",
    run: async () => {
      const store = new Map<string, Schemas["SyncPage"]["items"][number]>();
      const sync = async (since?: string): Promise<string> => {
        for (let round = 0; round < 1000; round++) {
          const { data, error, response } = await editor.GET("/v1/sync", { params: { query: { since, limit: 5 } } });
          assert.equal(response.status, 200, `GET sync: ${JSON.stringify(error)}`);
          const page = whole<Schemas["SyncPage"]>(data);
          for (const item of page.items) {
            // The type tag narrows data to the resource's own schema; a tombstone has data null.
            if (item.op === "delete") store.delete(`${item.type}:${item.id}`);
            else store.set(`${item.type}:${item.id}`, item);
          }
          since = page.nextToken;
          if (!page.hasMore) return since;
        }
        throw new Error("sync did not end");
      };
      const token = await sync();
      const story = [...store.values()].find((i) => i.type === "article" && i.data?.slug === sampleSlug);
      assert.ok(story, "the sample story is not in the feed");

      const suffix = randomUUID().slice(0, 8);
      const person = await editor.POST("/v1/people", { body: { slug: `sync-check-${suffix}`, name: `Sync Check ${suffix}` } });
      assert.equal(person.response.status, 201, `POST person: ${JSON.stringify(person.error)}`);
      const id = person.data!.id;
      await sync(token);
      assert.ok(store.has(`person:${id}`), "the new person did not arrive as an upsert");
      const removed = await editor.DELETE("/v1/people/{idOrSlug}", {
        params: { path: { idOrSlug: id }, header: { "If-Match": person.response.headers.get("ETag") ?? "" } },
      });
      assert.equal(removed.response.status, 204, `DELETE person: ${JSON.stringify(removed.error)}`);
      await sync(token);
      assert.ok(!store.has(`person:${id}`), "the tombstone did not remove the person");
    },
  },
];

let failed = 0;
console.log(`typed client against ${baseUrl}`);
for (const check of checks) {
  try {
    await check.run();
    console.log(`  ok    ${check.name}`);
  } catch (e) {
    failed++;
    console.log(`  FAIL  ${check.name}\n        ${e instanceof Error ? e.message : String(e)}`);
  }
}
console.log(`typed client: ${checks.length - failed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
