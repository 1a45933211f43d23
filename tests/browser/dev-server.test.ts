/**
 * scripts/dev-server.ts (`npm start`): the pages served by Framework's preview server record their audit events in
 * the real audit service beside it, so a page in the dev server logs no error (it used to log POST /api/audit 404).
 * Needs the pipeline's artifacts in src/data/ (npm run pipeline).
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Browser } from "playwright-core";
import { startDevServer, type DevServer } from "../../scripts/dev-server.js";
import { auditBody } from "../../src/lib/audit.js";
import { launchBrowser, readAuditRecords, watchPage } from "./harness.js";

let dev: DevServer;
let browser: Browser;
let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "retention-lab-dev-"));
  dev = await startDevServer({ port: 0, auditDir: join(dir, "audit"), quiet: true });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await dev?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("the dev server", () => {
  it("stores a posted audit event and refuses other methods, as nginx does", async () => {
    const body = auditBody("page_view", { page: "dev-test" }, "/dev-test", "dev-server-test-event");
    const posted = await fetch(new URL("api/audit", dev.url), { method: "POST", body });
    assert.equal(posted.status, 204);
    assert.equal((await fetch(new URL("api/audit", dev.url))).status, 405);
    const records = await readAuditRecords(dev.auditDir);
    assert.ok(records.some((r) => r.id === "dev-server-test-event"));
  });

  it("lets the local report origins embed the views, as the production server does for EMBED_ORIGINS", async () => {
    const frame = await fetch(new URL("embed/profit-curve", dev.url), { headers: { origin: "http://127.0.0.1:8000" } });
    assert.equal(
      frame.headers.get("content-security-policy"),
      "frame-ancestors 'self' http://127.0.0.1:8000 http://localhost:8000",
    );
    assert.equal(frame.headers.get("access-control-allow-origin"), "http://127.0.0.1:8000");
    const other = await fetch(new URL("embed/profit-curve", dev.url), { headers: { origin: "http://127.0.0.1:9999" } });
    assert.equal(other.headers.get("access-control-allow-origin"), null);
    const app = await fetch(new URL("telco/engagement", dev.url));
    assert.equal(app.headers.get("content-security-policy"), null, "only the views carry the embedding policy");
  });

  it("serves a page whose audit beacon is stored, with no console error or failed request", async () => {
    const page = await browser.newPage();
    const watch = await watchPage(page);
    await page.goto(new URL("telco/personas", dev.url).href, { waitUntil: "networkidle", timeout: 120_000 });
    await page.locator("[data-persona]").first().waitFor({ timeout: 60_000 });
    const deadline = Date.now() + 10_000;
    while (
      !(await readAuditRecords(dev.auditDir)).some((r) => r.event === "page_view" && r.page === "/telco/personas")
    ) {
      assert.ok(Date.now() < deadline, "the page's page_view event was not stored");
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.deepEqual(watch.problems(), []);
    await page.close();
  });
});
