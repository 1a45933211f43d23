/**
 * What the customer page downloads and says while it loads, in Chromium against the production build served by nginx:
 * a customer's first view needs the finder's index and that customer's detail shard only (no whole-base table, no
 * ONNX Runtime); the one status says "Loading customer …" while the shard is on its way and names the failure if it
 * never comes; a what-if edit reaches the audit trail; ONNX Runtime is fetched only when the user asks for the check,
 * with a loading state. Needs $DIST built.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Browser, Page, Route } from "playwright-core";
import { ARTIFACTS, TELCO_DETAIL_SHARDS } from "../../src/lib/artifacts.js";
import { shardFile, shardOf } from "../../src/lib/customer-shards.js";
import { assertBuilt, DIST, readAuditRecords, type Site, watchPage, withSiteAndBrowser } from "./harness.js";

assertBuilt(DIST);
let site: Site;
let browser: Browser;
withSiteAndBrowser((s, b) => {
  [site, browser] = [s, b];
});

const MONTHLY = "7590-VHVEG";
const shardPath = (id: string) =>
  `${ARTIFACTS.telcoCustomerDetail.path}/${shardFile(shardOf(id, TELCO_DETAIL_SHARDS))}`;
/** A shard file's URL pattern (the build adds a content hash to the name). */
const shardUrl = (id: string) =>
  new RegExp(`/_file/data/${shardPath(id).replace(/\.arrow$/, "")}\\.[0-9a-f]{8}\\.arrow$`);

/** The site's data files and ONNX Runtime files a page has requested so far (paths without the content hash). */
function requested(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    performance
      .getEntriesByType("resource")
      .map((e) => new URL(e.name).pathname)
      .filter((p) => p.includes("/_file/data/") || /onnxruntime|ort-wasm/.test(p))
      .map((p) => p.replace(/^.*\/_file\/data\//, "").replace(/\.[0-9a-f]{8}\./, ".")),
  );
}

/** Waits (up to 10 s) until `check` holds: records the page sends by itself arrive a second after the edit. */
async function expect(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`${what}: not there after 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("customer page loading", () => {
  it("a customer's first view downloads the index and one shard; another customer one more; no ONNX Runtime", async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const watch = await watchPage(page);
    await page.goto(new URL(`telco/customer?id=${MONTHLY}`, site.url).href);
    await page.locator("#why .rl-waterfall svg").waitFor();
    await page.locator("#customer-nudge blockquote").waitFor();
    await page.locator("#whatif-result [data-probability][data-changed]").waitFor();
    const first = await requested(page);
    assert.ok(first.includes(ARTIFACTS.telcoCustomerIndex.path), first.join(", "));
    assert.deepEqual(
      first.filter((p) => p.startsWith(`${ARTIFACTS.telcoCustomerDetail.path}/`)),
      [shardPath(MONTHLY)],
    );
    for (const whole of [ARTIFACTS.telcoCustomers, ARTIFACTS.telcoShap, ARTIFACTS.telcoNudges])
      assert.ok(!first.includes(whole.path), `${whole.path} was fetched`);
    assert.ok(!first.some((p) => /onnxruntime|ort-wasm|model\.onnx/.test(p)), first.join(", "));
    // The ID suggestions are made when the search box is first focused.
    assert.equal(await page.locator("#customer-id-list option").count(), 0);
    await page.getByLabel("Customer ID").focus();
    assert.equal(await page.locator("#customer-id-list option").count(), 7043);
    // A customer of another shard: that shard only, once.
    const rows = page.locator(".rl-customer-table tbody tr");
    const ids = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-id")!));
    const other = ids.find((id) => shardOf(id, TELCO_DETAIL_SHARDS) !== shardOf(MONTHLY, TELCO_DETAIL_SHARDS))!;
    await page.locator(`.rl-customer-table tbody tr[data-id="${other}"] td`).first().click();
    await page.locator("#customer-heading", { hasText: other }).waitFor();
    await page.locator("#why .rl-waterfall svg").waitFor();
    const shards = (await requested(page)).filter((p) => p.startsWith(`${ARTIFACTS.telcoCustomerDetail.path}/`));
    assert.deepEqual(shards.sort(), [shardPath(MONTHLY), shardPath(other)].sort());
    assert.deepEqual(watch.problems(), []);
    await page.close();
  });

  it("the one status says the customer is loading while their shard is on its way, then shows them", async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 900 } });
    const watch = await watchPage(page);
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route(shardUrl(MONTHLY), async (route: Route) => {
      await held;
      await route.continue();
    });
    await page.goto(new URL(`telco/customer?id=${MONTHLY}`, site.url).href);
    const status = page.locator('#customer-status[data-state="loading"]');
    await status.waitFor();
    assert.equal((await status.textContent())!.trim(), `Loading customer ${MONTHLY}…`);
    assert.equal(await page.locator("#customer-heading").isVisible(), false);
    assert.equal(await page.getByText(/No customer selected|No customer with ID/).count(), 0);
    release();
    await page.locator('#customer-status[data-state="customer"]').waitFor();
    await page.locator("#customer-heading", { hasText: MONTHLY }).waitFor();
    assert.match((await page.locator("#customer-status").textContent())!, new RegExp(`Showing Customer ${MONTHLY}`));
    assert.deepEqual(watch.problems(), []);
    await page.close();
  });

  it("a shard that cannot be fetched: the status names the customer and the failure, nothing half-shown", async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const watch = await watchPage(page);
    await page.route(shardUrl(MONTHLY), (route: Route) => route.fulfill({ status: 503, body: "unavailable" }));
    await page.goto(new URL(`telco/customer?id=${MONTHLY}`, site.url).href);
    const status = page.locator('#customer-status[data-state="error"]');
    await status.waitFor();
    assert.match((await status.textContent())!, new RegExp(`Customer ${MONTHLY} could not be loaded: .+`));
    assert.equal(await page.locator("#customer-heading").isVisible(), false);
    assert.equal(await page.locator("#why .rl-waterfall").count(), 0);
    // The only problems on the page are the refused request itself and the browser's own report of it.
    const problems = watch.problems();
    assert.ok(problems.length >= 1, "the refused request is seen");
    const refused = new RegExp(`${shardPath(MONTHLY).replace(/\.arrow$/, "")}.*: 503|status of 503`);
    for (const p of problems) assert.match(p, refused);
    await page.close();
  });

  it("an edit in the what-if is recorded in the audit trail once, with the score the page shows", async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const watch = await watchPage(page);
    const customer = "5575-GNVDE";
    await page.goto(new URL(`telco/customer?id=${customer}`, site.url).href);
    await page.locator('#whatif-result [data-probability][data-changed=""]').waitFor();
    await page.getByLabel("Tenure (months)").fill("40");
    const panel = page.locator('#whatif-result [data-probability][data-changed="tenure,total_charges"]');
    await panel.waitFor();
    const shown = Number(await panel.getAttribute("data-probability"));
    const runs = async () =>
      (await readAuditRecords(site.auditDir)).filter(
        (r) => r.event === "whatif_run" && (r.detail as { customer?: string }).customer === customer,
      );
    await expect(async () => (await runs()).length === 1, "the whatif_run record");
    const [run] = await runs();
    assert.equal((run.detail as { tenure: number }).tenure, 40);
    assert.equal((run.detail as { churn_after: number }).churn_after, shown);
    assert.deepEqual(watch.problems(), []);
    await page.close();
  });

  it("ONNX Runtime loads only when the check is asked for, says it is loading, then agrees with the score", async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const watch = await watchPage(page);
    await page.goto(new URL(`telco/customer?id=${MONTHLY}`, site.url).href);
    const panel = page.locator('#whatif-result [data-probability][data-changed=""]');
    await panel.waitFor();
    await page.waitForLoadState("networkidle");
    assert.ok(!(await requested(page)).some((p) => /onnxruntime|ort-wasm|model\.onnx/.test(p)));
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route(/ort-wasm[^/]*\.wasm$/, async (route: Route) => {
      await held;
      await route.continue();
    });
    await page.getByRole("button", { name: "Check with ONNX Runtime" }).click();
    await page.getByText("Loading ONNX Runtime and the exported model…").waitFor();
    release();
    const checked = page.locator('#whatif-result [data-onnx-probability][data-changed=""]');
    await checked.waitFor({ timeout: 20_000 });
    const onnx = Number(await checked.getAttribute("data-onnx-probability"));
    const probability = Number(await checked.getAttribute("data-probability"));
    assert.ok(Math.abs(onnx - probability) < 1e-5, `ONNX ${onnx} vs TreeSHAP ${probability}`);
    await page.locator(".rl-onnx-result", { hasText: /ONNX Runtime \(model\.onnx\): \d+\.\d%/ }).waitFor();
    assert.ok((await requested(page)).some((p) => /ort-wasm/.test(p)));
    assert.deepEqual(watch.problems(), []);
    await page.close();
  });
});
