// Swagger UI in a real browser (Debian's chromium, headless, driven by playwright-core): the page loads with no console
// errors, lists every tag, accepts a key in Authorize, and "Try it out" on GetArticle returns the sample story.
// Run by scripts/frontend-check.sh; CONTENTAPI_URL, CONTENTAPI_ADMIN_KEY and CHROMIUM pick the API, key and browser.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Page } from "playwright-core";
import { adminKey, baseUrl, sampleSlug } from "./api.js";

const artifacts = join(dirname(fileURLToPath(import.meta.url)), "..", "artifacts");
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const sampleTitle = "AS Wanti-wanti Korut soal Pasokan Senjata untuk Rusia";

mkdirSync(artifacts, { recursive: true });
const userDataDir = mkdtempSync(join(tmpdir(), "contentapi-chromium-"));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath,
  headless: true,
  viewport: { width: 1366, height: 900 },
  // Nothing outside 127.0.0.1 exists here; these keep Chromium from trying.
  args: [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
});

const problems: string[] = [];
let failed = 0;
let passed = 0;

async function check(name: string, run: () => Promise<void>) {
  try {
    await run();
    passed++;
    console.log(`  ok    ${name}`);
  } catch (e) {
    failed++;
    console.log(`  FAIL  ${name}\n        ${e instanceof Error ? e.message.split("\n").join("\n        ") : String(e)}`);
  }
}

try {
  const page: Page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(20_000);
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ""}`));
  page.on("response", (r) => { if (r.status() >= 400 && !r.url().includes("/v1/")) problems.push(`HTTP ${r.status()}: ${r.url()}`); });

  console.log(`Swagger UI at ${baseUrl}/swagger with ${executablePath}`);
  const document = (await (await context.request.get(`${baseUrl}/swagger/v1/swagger.json`)).json()) as {
    tags?: { name: string; description?: string }[];
  };
  const tags = (document.tags ?? []).map((t) => t.name);

  await check("page loads with the API title and description", async () => {
    const response = await page.goto(`${baseUrl}/swagger`, { waitUntil: "networkidle" });
    assert.equal(response?.status(), 200);
    await page.locator(".swagger-ui .info .title").filter({ hasText: "ContentApi" }).waitFor();
    await page.locator(".swagger-ui .info .description").filter({ hasText: "Conventions" }).waitFor();
    await page.screenshot({ path: join(artifacts, "swagger-ui-overview.png") });
  });

  await check(`every tag is listed with its description (${tags.join(", ")})`, async () => {
    for (const name of ["Articles", "Quotes", "People", "Sources"]) assert.ok(tags.includes(name), `document has no tag ${name}`);
    for (const tag of document.tags ?? []) {
      const section = page.locator(`h3.opblock-tag[data-tag="${tag.name}"]`);
      await section.waitFor();
      if (tag.description) assert.ok((await section.innerText()).includes(tag.description.slice(0, 40)), `${tag.name} shows no description`);
    }
    const shown = await page.locator("h3.opblock-tag").evaluateAll((hs) => hs.map((h) => h.getAttribute("data-tag")));
    assert.deepEqual(shown, tags, "Swagger UI lists other tags than the document");
  });

  // A lock only where a key is required (writes, editor- and admin-only routes): reads an anonymous reader may make
  // carry security [bearer, {}], which Swagger UI would draw a lock for; the OptionalKeyPlugin leaves it off.
  await check("lock icons only on operations that need a key", async () => {
    const locks = (id: string) => page.locator(`#operations-${id} .opblock-summary .authorization__btn`).count();
    for (const id of ["Articles-GetArticle", "Articles-ListArticles", "Quotes-GetQuote", "People-ListPeople", "Sync-GetSyncFeed"])
      assert.equal(await locks(id), 0, `${id} (anonymous readers may call it) shows a lock`);
    for (const id of ["Articles-CreateArticle", "Quotes-DeleteQuote", "People-PatchPerson", "Revisions-ListArticleRevisions", "Keys-ListKeys"])
      assert.equal(await locks(id), 1, `${id} (needs a key) shows no lock`);
  });

  await check("the Problem schema is shown", async () => {
    await page.locator(".models").getByText("Problem", { exact: true }).first().waitFor();
  });

  await check("Authorize accepts a key", async () => {
    await page.locator("button.authorize").first().click();
    const dialog = page.locator(".dialog-ux .modal-ux");
    await dialog.waitFor();
    // The scheme's description must read as written: an unescaped <key> would vanish as an HTML tag.
    assert.ok((await dialog.innerText()).includes("Authorization: Bearer YOUR_KEY"), "the Authorize dialog does not show how to send the key");
    await dialog.locator("input[type=text], input[type=password]").first().fill(adminKey);
    await dialog.locator("button.modal-btn.auth.authorize").click();
    await dialog.locator("h6", { hasText: "Authorized" }).waitFor();
    await dialog.locator("button", { hasText: "Logout" }).waitFor();
    await dialog.locator("button.btn-done").click();
    await dialog.waitFor({ state: "detached" });
    await page.locator("button.authorize.locked").first().waitFor();
  });

  await check("Try it out on GetArticle with the sample slug returns 200 and the story", async () => {
    const operation = page.locator("#operations-Articles-GetArticle");
    await operation.locator(".opblock-summary").first().click();
    await operation.locator("button.try-out__btn").click();
    // The path parameter opens filled with the sample story's slug: nothing to type.
    assert.equal(await operation.locator('tr[data-param-name="idOrSlug"] input').inputValue(), sampleSlug, "idOrSlug does not open with the sample slug");
    await operation.locator('tr[data-param-name="include"] input').fill("quotes.speaker,quotes.source");
    await operation.locator("button.execute").click();
    const live = operation.locator(".live-responses-table");
    await live.locator(".response-col_status").filter({ hasText: "200" }).first().waitFor();
    const body = await live.locator(".response-col_description pre").first().innerText();
    assert.ok(body.includes(sampleTitle), "the response body does not hold the sample story's title");
    assert.ok(body.includes("Mereka akan menanggung konsekuensinya di komunitas internasional"), "the response body lacks the Sullivan quote");
    const curl = await operation.locator(".curl-command").innerText();
    assert.ok(curl.includes(`Authorization: Bearer ${adminKey}`), "the request did not carry the authorized key");

    // What people look at: the operation, the request it sent and the live response with the story's JSON.
    await page.setViewportSize({ width: 1366, height: 1700 });
    await operation.evaluate((el) => el.scrollIntoView({ block: "start" }));
    await page.screenshot({ path: join(artifacts, "swagger-ui-get-article.png") });
    await page.screenshot({ path: join(artifacts, "swagger-ui-full.png"), fullPage: true });
  });

  await check("Try it out on GetQuote answers 200 with nothing typed (the sample quote's fixed id)", async () => {
    const operation = page.locator("#operations-Quotes-GetQuote");
    await operation.locator(".opblock-summary").first().click();
    await operation.locator("button.try-out__btn").click();
    assert.match(await operation.locator('tr[data-param-name="id"] input').inputValue(), /^[0-9a-f-]{36}$/, "id does not open with a uuid");
    await operation.locator("button.execute").click();
    const live = operation.locator(".live-responses-table");
    await live.locator(".response-col_status").filter({ hasText: "200" }).first().waitFor();
    assert.ok((await live.locator(".response-col_description pre").first().innerText()).includes("Tidak, saya tidak bisa."), "the answer is not the sample's Peskov quote");
  });

  await check("no console errors, page errors or failed requests", async () => {
    assert.deepEqual(problems, []);
  });
} finally {
  await context.close();
  rmSync(userDataDir, { recursive: true, force: true });
}

console.log(`swagger ui: ${passed} passed, ${failed} failed (screenshots in ${artifacts})`);
process.exitCode = failed === 0 ? 0 : 1;
