/**
 * A hostile LLM message is displayed as inert text. Build-time validation rejects markup (docs/llm.md), so this
 * test goes around it: the page's real data path — the hashed Arrow file nginx serves — is intercepted in Chromium
 * and answered with a copy of the built file in which one customer's message (and model name) is hostile. The
 * pages must show it verbatim as text: no element made from it, nothing executed, no request, no CSP report.
 *   DIST=<built site> node --import tsx --test tests/browser/hostile-message.test.ts
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { tableFromIPC, tableToIPC, Utf8, vectorFromArray } from "apache-arrow";
import type { Browser, Page } from "playwright-core";
import { ARTIFACTS, TELCO_DETAIL_SHARDS } from "../../src/lib/artifacts.js";
import { shardOf } from "../../src/lib/customer-shards.js";
import { assertBuilt, DIST, launchBrowser, startSite, watchPage, type PageWatch, type Site } from "./harness.js";

const dist = assertBuilt(DIST);

/** Each payload sets a different value, so a failure says which one ran. */
const HOSTILE_TEXT = [
  "<script>window.__pwned=1</script>",
  '<img src=x onerror="window.__pwned=2">',
  '<a href="javascript:window.__pwned=3">click</a>',
  "[x](https://evil.example)",
  "${window.__pwned=4}",
  "<svg onload=window.__pwned=5>",
  "&lt;b&gt;not bold&lt;/b&gt; **not bold**",
].join(" ");
/** The provenance is rendered too. */
const HOSTILE_MODEL = '<img src=x onerror="window.__pwned=6">model';

const TELCO_CUSTOMER = "7590-VHVEG";

let site: Site;
let browser: Browser;

before(async () => {
  site = await startSite({ dist });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await site?.stop();
});

/**
 * The built message file of a page: `<folder>/<name>.<hash>.arrow`. Its name's hash must be its content's (as
 * Framework names files) and the page must reference that very name, so intercepting it intercepts the page's data.
 */
async function builtArrow(folder: string, name: string, page: string): Promise<{ urlPath: string; bytes: Buffer }> {
  const pattern = new RegExp(`^${name}\\.([0-9a-f]{8})\\.arrow$`);
  const files = (await readdir(join(dist, "_file", folder))).filter((f) => pattern.test(f));
  assert.equal(files.length, 1, `one ${name}.<hash>.arrow in dist/_file/${folder}: ${files}`);
  const bytes = await readFile(join(dist, "_file", folder, files[0]));
  const hash = pattern.exec(files[0])![1];
  assert.equal(createHash("sha256").update(bytes).digest("hex").slice(0, 8), hash, `${files[0]}: content hash`);
  const urlPath = `_file/${folder}/${files[0]}`;
  assert.ok((await readFile(join(dist, `${page}.html`), "utf8")).includes(`/${urlPath}`), `${page} loads ${urlPath}`);
  return { urlPath, bytes };
}

/** The Arrow stream with one row's string columns replaced; every other row and column as built. */
function withRow(
  bytes: Uint8Array,
  id: string,
  values: Record<string, string>,
  { idColumn = "id", textColumn = "text" } = {},
): Uint8Array {
  let table = tableFromIPC(bytes);
  const row = Array.from(table.getChild(idColumn)!, String).indexOf(id);
  assert.ok(row >= 0, `${id} has a message in the built file`);
  for (const [column, value] of Object.entries(values)) {
    const strings = Array.from(table.getChild(column)!, String);
    strings[row] = value;
    table = table.setChild(column, vectorFromArray(strings, new Utf8()));
  }
  const out = tableToIPC(table, "stream");
  const check = tableFromIPC(out);
  assert.equal(check.numRows, tableFromIPC(bytes).numRows);
  assert.equal(check.get(row)![textColumn], values[textColumn]);
  return out;
}

/**
 * Answer the page's request for `urlPath` with `body`, after fetching the real response from nginx (which must be
 * the built file): only the body changes. Returns how many requests were answered.
 */
async function intercept(page: Page, file: { urlPath: string; bytes: Buffer }, body: Uint8Array) {
  const served = { count: 0, errors: [] as string[] };
  await page.route(`**/${file.urlPath}`, async (route) => {
    const original = await route.fetch();
    const real = await original.body();
    if (original.status() !== 200 || !real.equals(file.bytes)) {
      served.errors.push(`${file.urlPath}: nginx answered ${original.status()} with ${real.length} other bytes`);
    }
    served.count++;
    await route.fulfill({ status: 200, contentType: original.headers()["content-type"], body: Buffer.from(body) });
  });
  return served;
}

async function open(): Promise<{ page: Page; watch: PageWatch }> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const watch = await watchPage(page);
  return { page, watch };
}

/**
 * What the page made of the payloads, document-wide: anything but text is a failure. (No named functions inside
 * evaluate: tsx would wrap them in a helper that does not exist in the page.)
 */
async function damage(page: Page) {
  return page.evaluate(() => {
    const all = [...document.querySelectorAll("*")];
    return {
      pwned: (window as unknown as { __pwned?: unknown }).__pwned,
      scripts: [...document.scripts].filter((s) => s.text.includes("__pwned")).map((el) => el.outerHTML.slice(0, 120)),
      // Inline handlers, javascript: URLs and the payloads' targets, in any attribute of any element.
      attributes: all
        .filter((el) =>
          [...el.attributes].some(
            (a) => /^on/i.test(a.name) || /__pwned|evil\.example|^\s*javascript:/i.test(a.value) || a.value === "x",
          ),
        )
        .map((el) => el.outerHTML.slice(0, 120)),
      // Markup the payloads would produce if parsed as HTML or Markdown.
      elements: [...document.querySelectorAll('img[src="x"], svg[onload], a[href^="javascript:"], b, strong')]
        .filter((el) => /__pwned|not bold/.test(el.outerHTML))
        .map((el) => el.outerHTML.slice(0, 120)),
    };
  });
}

/** The quote holding a message: its exact text and how many elements it contains. */
async function quote(page: Page, selector: string) {
  return page.locator(selector).evaluate((el) => ({ text: el.textContent, elements: el.querySelectorAll("*").length }));
}

describe("a hostile LLM message is displayed as inert text", () => {
  it("Telco customer page: the nudge and its provenance", async () => {
    // The page reads the customer's nudge from their detail shard (nudges.arrow's columns, prefixed nudge_).
    const shard = String(shardOf(TELCO_CUSTOMER, TELCO_DETAIL_SHARDS)).padStart(2, "0");
    const file = await builtArrow(`data/${ARTIFACTS.telcoCustomerDetail.path}`, shard, "telco/customer");
    const hostile = withRow(
      file.bytes,
      TELCO_CUSTOMER,
      { nudge_text: HOSTILE_TEXT, nudge_model: HOSTILE_MODEL },
      { idColumn: "customer_id", textColumn: "nudge_text" },
    );
    const { page, watch } = await open();
    const served = await intercept(page, file, hostile);
    await page.goto(new URL(`telco/customer?customer=${TELCO_CUSTOMER}`, site.url).href);
    await page.locator("#customer-heading", { hasText: TELCO_CUSTOMER }).waitFor();
    const nudge = page.locator("#customer-nudge .rl-nudge");
    await nudge.locator("blockquote").waitFor();
    // Let the page finish (the what-if scored, the offers searched) so any deferred handler would have run.
    await page.locator("#whatif-result [data-probability][data-changed]").waitFor({ timeout: 30_000 });
    await page.locator("#keep .rl-keep").waitFor({ timeout: 30_000 });
    await page.waitForLoadState("networkidle");

    assert.deepEqual(served.errors, []);
    assert.ok(served.count >= 1, "the page read the hostile file");
    assert.deepEqual(await quote(page, "#customer-nudge blockquote"), { text: HOSTILE_TEXT, elements: 0 });
    assert.ok((await nudge.textContent())!.includes(`model ${HOSTILE_MODEL}`), "the model name is text too");
    assert.ok((await nudge.innerText()).includes(HOSTILE_TEXT), "and visible");
    assert.deepEqual(await damage(page), { pwned: undefined, scripts: [], attributes: [], elements: [] });
    assert.deepEqual(watch.problems(), []);
    await page.close();
  });

  it("food retention page: a top-risk offer card and the targeting list", async () => {
    // the page's cards and table read the offers of the customers it can list (campaign-rows.arrow, by customer_id)
    const file = await builtArrow("data/food", "campaign-rows", "food/retention");
    // The five cards are the page's five highest risks: read them from the page as built.
    const plain = await open();
    await plain.page.goto(new URL("food/retention", site.url).href);
    const cards = plain.page.locator(".rl-offer-card");
    await cards.nth(4).waitFor({ timeout: 30_000 });
    const ids = await cards.evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset.customer!));
    const texts = await plain.page.locator(".rl-offer-card .rl-offer-text").allTextContents();
    assert.deepEqual(plain.watch.problems(), []);
    await plain.page.close();
    assert.equal(ids.length, 5);

    const target = ids[0];
    const hostile = withRow(
      file.bytes,
      target,
      { text: HOSTILE_TEXT, model: HOSTILE_MODEL },
      { idColumn: "customer_id" },
    );
    const { page, watch } = await open();
    const served = await intercept(page, file, hostile);
    await page.goto(new URL("food/retention", site.url).href);
    await page.locator(".rl-offer-card").nth(4).waitFor({ timeout: 30_000 });
    await page.locator("#target-list table").waitFor();
    await page.waitForLoadState("networkidle");

    assert.deepEqual(served.errors, []);
    assert.ok(served.count >= 1, "the page read the hostile file");
    const card = page.locator(`.rl-offer-card[data-customer="${target}"]`);
    assert.deepEqual(await quote(page, `.rl-offer-card[data-customer="${target}"] .rl-offer-text`), {
      text: HOSTILE_TEXT,
      elements: 0,
    });
    assert.ok((await card.textContent())!.includes(HOSTILE_MODEL), "the model name is text too");
    assert.ok((await card.innerText()).includes(HOSTILE_TEXT), "and visible");
    // Only that customer's offer changed.
    assert.deepEqual(await page.locator(".rl-offer-card .rl-offer-text").allTextContents(), [
      HOSTILE_TEXT,
      ...texts.slice(1),
    ]);
    // The targeting list (Inputs.table) shows the same offer in its first row, also as text.
    const cell = page.locator("#target-list tbody tr").first().locator("td", { hasText: "__pwned=1" });
    assert.deepEqual(
      await cell.evaluate((td) => ({ text: td.textContent, elements: td.querySelectorAll("*").length })),
      { text: HOSTILE_TEXT, elements: 0 },
    );
    assert.deepEqual(await damage(page), { pwned: undefined, scripts: [], attributes: [], elements: [] });
    assert.deepEqual(watch.problems(), []);
    await page.close();
  });
});
