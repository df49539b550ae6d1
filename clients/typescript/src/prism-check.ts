// Every request the README shows, sent through Prism's validating proxy (@stoplight/prism-cli) in front of the live
// API: Prism checks each request and each answer against openapi/v1.json and names what disagrees in an sl-violations
// header. No answer may have a violation; a request may have one only where the README sends a bad request on purpose
// (limit=500), and then only that one. A README request with no replay here fails the check, so the two stay in step.
// Run by scripts/frontend-check.sh: PRISM_URL is the proxy, CONTENTAPI_ADMIN_KEY the admin key, both on 127.0.0.1.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { adminKey, sampleSlug } from "./api.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const proxy = process.env.PRISM_URL ?? "http://127.0.0.1:4010";

type Violation = { location: string[]; severity: string; code: string | number; message: string };
type Replay = {
  readme: string; // what the README line does, for the output
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  status: number[];
  requestViolation?: string; // the one request field the README breaks on purpose
};

const sent: { method: string; path: string }[] = [];
let failures = 0;

async function send(r: Replay): Promise<Response> {
  const response = await fetch(proxy + r.path, {
    method: r.method,
    headers: r.headers,
    body: r.body,
    redirect: "manual",
    signal: AbortSignal.timeout(20_000),
  });
  sent.push({ method: r.method, path: r.path });
  const violations: Violation[] = JSON.parse(response.headers.get("sl-violations") ?? "[]");
  const onAnswer = violations.filter((v) => v.location[0] !== "request");
  const onRequest = violations.filter((v) => v.location[0] === "request");
  const expectedOnRequest = r.requestViolation
    ? onRequest.length === 1 && onRequest[0]!.location.join(".") === `request.query.${r.requestViolation}`
    : onRequest.length === 0;
  const ok = r.status.includes(response.status) && onAnswer.length === 0 && expectedOnRequest;
  console.log(`  ${ok ? "ok  " : "FAIL"}  ${r.method} ${r.path.slice(0, 110)} -> ${response.status}  (${r.readme})`);
  if (!ok) {
    failures++;
    if (!r.status.includes(response.status)) console.log(`        expected ${r.status.join(" or ")}`);
    for (const v of violations) console.log(`        violation ${v.location.join(".")}: ${v.message}`);
    if (r.requestViolation && onRequest.length === 0) console.log(`        Prism saw no violation of ${r.requestViolation} in the request`);
  }
  return response;
}

async function json<T = Record<string, unknown>>(r: Replay): Promise<{ body: T; response: Response }> {
  const response = await send(r);
  const text = await response.text();
  return { body: (text ? JSON.parse(text) : {}) as T, response };
}

const auth = { Authorization: `Bearer ${adminKey}` };
const jsonBody = { ...auth, "Content-Type": "application/json" };
const mergePatch = { ...auth, "Content-Type": "application/merge-patch+json" };
const idempotency = () => ({ "Idempotency-Key": crypto.randomUUID().replaceAll("-", "") });
const story = readFileSync(join(root, "db", "samples", "story-id-korut-rusia.txt"), "utf8");
const articleUrl = `/v1/articles/${sampleSlug}`;

// "Example requests"
await send({ readme: "1. the sample story with includes", method: "GET", path: `${articleUrl}?include=quotes.speaker,quotes.source`, status: [200] });
const speaker = (await json<{ id: string }>({ readme: "2. SPEAKER", method: "GET", path: "/v1/people/jake-sullivan", status: [200] })).body.id;
await send({ readme: "2. quotes by one speaker", method: "GET", path: `/v1/quotes?speakerId=${speaker}&include=source&limit=20`, status: [200] });
await send({
  readme: "3. create a quote", method: "POST", path: "/v1/quotes", headers: { ...jsonBody, ...idempotency() }, status: [201],
  body: JSON.stringify({
    text: "Mereka akan menanggung konsekuensinya di komunitas internasional", language: "id", type: "direct", speakerId: speaker,
    speakerRole: "Penasihat Keamanan Nasional AS", saidOn: "2023-09-06", occasion: "kepada wartawan di Gedung Putih",
  }),
});

// "Importing a story"
const text = { ...auth, "Content-Type": "text/plain; charset=utf-8" };
await send({ readme: "import, dry run", method: "POST", path: "/v1/imports?dryRun=true", headers: text, body: story, status: [200] });
const imported = (await json<{ article: { id: string } }>({
  readme: "import", method: "POST", path: "/v1/imports", headers: { ...text, ...idempotency() }, body: story, status: [201],
})).body.article.id;

// "Caching and concurrent edits" (first: it gives the sample article the versions "History and undo" reads)
const first = await send({ readme: "ETAG", method: "GET", path: articleUrl, headers: auth, status: [200] });
const etag = first.headers.get("etag")!;
await send({ readme: "If-None-Match: 304", method: "GET", path: articleUrl, headers: { ...auth, "If-None-Match": etag }, status: [304] });
const id = (await json<{ id: string }>({ readme: "ID", method: "GET", path: `${articleUrl}?fields=id`, status: [200] })).body.id;
const patched = await json<{ version: number }>({
  readme: "PATCH with If-Match", method: "PATCH", path: `/v1/articles/${id}`, headers: { ...mergePatch, "If-Match": etag }, body: '{"section":"Dunia"}', status: [200],
});
await send({
  readme: "PATCH with a stale If-Match: 412", method: "PATCH", path: `/v1/articles/${id}`, headers: { ...mergePatch, "If-Match": etag },
  body: '{"section":"Internasional"}', status: [412],
});

// "History and undo": the versions the sample article has now (the README's 3 and 5 are any two).
const version = patched.body.version;
await send({ readme: "revisions", method: "GET", path: `/v1/articles/${id}/revisions`, headers: auth, status: [200] });
await send({ readme: "one revision", method: "GET", path: `/v1/articles/${id}/revisions/${version - 1}`, headers: auth, status: [200] });
await send({ readme: "diff", method: "GET", path: `/v1/articles/${id}/revisions/${version - 1}/diff?to=${version}`, headers: auth, status: [200] });
await send({
  readme: "restore a revision", method: "POST", path: `/v1/articles/${id}/revisions/${version - 1}/restore`,
  headers: { ...auth, "If-Match": `"${version}"` }, status: [200],
});
// Undelete needs a deleted article: the one the import made.
await send({ readme: "(setup) delete the imported draft", method: "DELETE", path: `/v1/articles/${imported}`, headers: { ...auth, "If-Match": '"1"' }, status: [204] });
await send({ readme: "undelete", method: "POST", path: `/v1/articles/${imported}/restore`, headers: auth, status: [200, 201] });

// "Webhooks": inactive here, so nothing is ever sent off this machine; 422 where the host name does not resolve (offline).
await send({
  readme: "create a webhook", method: "POST", path: "/v1/webhooks", headers: jsonBody, status: [201, 422],
  body: JSON.stringify({ url: "https://hooks.example.com/contentapi", events: ["article.published", "quote.updated"], description: "front page", active: false }),
});

// "Auth"
await send({ readme: "drafts with a key", method: "GET", path: "/v1/articles?status=draft", headers: auth, status: [200] });
await send({ readme: "create a key", method: "POST", path: "/v1/keys", headers: jsonBody, body: '{"name":"web-preview","role":"editor"}', status: [201] });

// "Pagination"
const page = await json<{ nextCursor: string | null }>({ readme: "first page", method: "GET", path: "/v1/quotes?limit=2", status: [200] });
assert.ok(page.response.headers.get("link")?.includes('rel="next"'), "the first page of quotes has no Link rel=next");
assert.ok(page.body.nextCursor, "the first page of quotes has no nextCursor");
await send({ readme: "next page", method: "GET", path: `/v1/quotes?limit=2&cursor=${encodeURIComponent(page.body.nextCursor!)}`, status: [200] });

// "Includes and fields"
await send({ readme: "fields=", method: "GET", path: `${articleUrl}?fields=title,publishedAt`, status: [200] });

// "Errors": bad on purpose; the request violation is expected, the answer must still conform.
await send({ readme: "limit=500: 400", method: "GET", path: "/v1/quotes?limit=500", status: [400], requestViolation: "limit" });
await send({ readme: "no such article: 404", method: "GET", path: "/v1/articles/no-such-article", status: [404] });

// Every curl in the README's bash blocks has a replay above: same method, same path (variables and version numbers
// stand for any segment), and at least the query parameters the README names.
const readme = readFileSync(join(root, "README.md"), "utf8");
const blocks = [...readme.matchAll(/```bash\n([\s\S]*?)```/g)].map((m) => m[1]!.replace(/\\\n/g, " "));
const variables = new Map<string, string>();
const missing: string[] = [];
let curls = 0;
for (const line of blocks.flatMap((b) => b.split("\n"))) {
  const assignment = /^([A-Z_]+)=([^$(\s]\S*)$/.exec(line.trim());
  if (assignment) variables.set(assignment[1]!, assignment[2]!);
  if (!/\bcurl\b/.test(line)) continue;
  const expanded = line.replace(/\$([A-Z_]+)\b/g, (all, name: string) => variables.get(name) ?? all);
  const url = /(?:https?:\/\/)?(?:127\.0\.0\.1|localhost):\d+(\/[^\s'"|)]*)/.exec(expanded)?.[1];
  if (!url) continue;
  curls++;
  const method = /-X\s+([A-Z]+)/.exec(expanded)?.[1] ?? "GET";
  const [path, query = ""] = url.split("?");
  const pattern = new RegExp(
    "^" + path!.replace(/[.*+?^{}()|[\]\\]/g, "\\$&").replace(/\$[A-Z_]+/g, "[^/]+").replace(/\/\d+(?=\/|$)/g, "/\\d+") + "$");
  const names = query.split("&").filter(Boolean).map((p) => p.split("=")[0]!);
  const covered = sent.some((s) => {
    const [p, q = ""] = s.path.split("?");
    const have = new Set(q.split("&").map((x) => x.split("=")[0]));
    return s.method === method && pattern.test(p!) && names.every((n) => have.has(n));
  });
  if (!covered) missing.push(`${method} ${url}`);
}
console.log(`README: ${curls} curl requests, ${curls - missing.length} replayed through Prism`);
for (const m of missing) console.log(`  FAIL  no replay of the README's ${m}`);
assert.ok(curls >= 20, `found only ${curls} curl requests in README.md: has the format changed?`);

const total = sent.length;
console.log(`prism: ${total} requests, ${failures} with a violation or a wrong status, ${missing.length} README requests not replayed`);
process.exitCode = failures === 0 && missing.length === 0 ? 0 : 1;
