/**
 * The page's audit client (src/lib/audit.ts) in Chromium against nginx and the audit service: an event the server
 * could not store is kept and delivered later, once, also by the next page load. Needs no site build: it serves a
 * one-page folder and injects the client's bundle.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import type * as AuditClient from "../../src/lib/audit.js";
import {
  auditClientScript,
  launchBrowser,
  readAuditRecords,
  startAuditProcess,
  startSite,
  type AuditProcess,
  type Site,
} from "./harness.js";

let dist: string;
let auditDir: string;
let service: AuditProcess;
let port: number;
let site: Site;
let browser: Browser;
/** One browser profile for all pages, so localStorage survives from one page load to the next. */
let context: BrowserContext;
let client: string;

before(async () => {
  dist = await mkdtemp(join(tmpdir(), "audit-client-test-"));
  auditDir = join(dist, "..", `${dist.split("/").pop()}-trail`);
  await writeFile(join(dist, "index.html"), "<!doctype html><title>audit client</title><p>audit client test</p>\n");
  service = await startAuditProcess({ AUDIT_DIR: auditDir });
  port = service.port;
  site = await startSite({ dist, auditUpstream: `127.0.0.1:${port}` });
  browser = await launchBrowser();
  context = await browser.newContext();
  client = await auditClientScript();
});
after(async () => {
  await browser?.close();
  await site?.stop();
  await service?.stop();
  await rm(dist, { recursive: true, force: true });
  await rm(auditDir, { recursive: true, force: true });
});

/** Open the page and load the client into it (through DevTools, so the test needs no CSP exception). */
async function openWithClient(): Promise<Page> {
  const page = await context.newPage();
  await page.goto(site.url);
  await page.evaluate(client);
  return page;
}

/** The client's counters and queue length, read in the page. */
const state = (page: Page) =>
  page.evaluate(() => {
    const lib = (globalThis as unknown as { RetentionLabAudit: { auditStats: Record<string, number> } })
      .RetentionLabAudit;
    return { ...lib.auditStats, queued: JSON.parse(localStorage.getItem("retention-lab.audit-queue") ?? "[]").length };
  });

describe("audit client in a browser", () => {
  it("delivers an event at once while the service is up", async () => {
    const page = await openWithClient();
    await page.evaluate(() =>
      (globalThis as unknown as { RetentionLabAudit: typeof AuditClient }).RetentionLabAudit.audit("customer_opened", {
        customer: "0002-ORFBO",
      }),
    );
    await page.waitForFunction(
      () =>
        (globalThis as unknown as { RetentionLabAudit: typeof AuditClient }).RetentionLabAudit.auditStats.sent === 1,
    );
    const records = await readAuditRecords(auditDir);
    assert.deepEqual(
      records.map((r) => [r.event, r.page, r.detail]),
      [["customer_opened", "/", { customer: "0002-ORFBO" }]],
    );
    await page.close();
  });

  it("keeps an event while the service is down and delivers it once from the next page load", async () => {
    await service.stop();
    const page = await openWithClient();
    await page.evaluate(() =>
      (globalThis as unknown as { RetentionLabAudit: typeof AuditClient }).RetentionLabAudit.audit(
        "threshold_changed",
        { threshold: 0.42, policy: "manual" },
      ),
    );
    await page.waitForFunction(
      () =>
        (globalThis as unknown as { RetentionLabAudit: typeof AuditClient }).RetentionLabAudit.auditStats.retries >= 1,
    );
    assert.deepEqual(await state(page), { sent: 0, refused: 0, overflow: 0, retries: 1, queued: 1 });
    await page.close();

    service = await startAuditProcess({ AUDIT_DIR: auditDir, AUDIT_PORT: String(port) });
    // A new page load: the module sends what the last page left in localStorage, without any audit() call.
    const next = await openWithClient();
    await next.waitForFunction(
      () =>
        (globalThis as unknown as { RetentionLabAudit: typeof AuditClient }).RetentionLabAudit.auditStats.sent === 1,
    );
    assert.equal((await state(next)).queued, 0);
    const stored = (await readAuditRecords(auditDir)).filter((r) => r.event === "threshold_changed");
    assert.equal(stored.length, 1);
    assert.deepEqual(stored[0]!.detail, { threshold: 0.42, policy: "manual" });
    await next.close();
  });
});
