/**
 * The production site as nginx serves it: headers, caching, compression, ranges, clean URLs, the audit
 * beacon log, a bounded load, and every page in Chromium. Runs against $DIST (default dist/), which must
 * exist: `npm run build` first. One nginx for the file (the real binary, the image's include files).
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { request } from "node:http";
import { join } from "node:path";
import { promisify } from "node:util";
import { gunzipSync } from "node:zlib";
import { after, before, describe, it } from "node:test";
import type { Browser } from "playwright-core";
import { htlPlaceholderHashes, inlineScriptHashes } from "../../scripts/csp.js";
import {
  assertBuilt,
  auditClientScript,
  DIST,
  launchBrowser,
  readAuditRecords,
  startSite,
  watchPage,
  type Site,
} from "./harness.js";

const dist = assertBuilt(DIST);
let site: Site;

before(async () => {
  site = await startSite({ dist });
});
after(async () => {
  await site?.stop();
});

// ---------------------------------------------------------------------------------------------- helpers

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

interface Ask {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Source address on the loopback (127.0.0.0/8): each gets its own rate-limit bucket. */
  from?: string;
}

/** A raw HTTP request (node:http: no automatic decompression or Accept-Encoding, unlike fetch). */
function ask(path: string, { method = "GET", headers = {}, body, from }: Ask = {}): Promise<Reply> {
  const url = new URL(path.replace(/^\//, ""), site.url);
  return new Promise((resolveReply, reject) => {
    const req = request(url, { method, headers, localAddress: from, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolveReply({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** Every file of dist/, relative, with "/" separators. */
async function distFiles(): Promise<string[]> {
  const entries = await readdir(dist, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dist.length + 1));
}

/** The URL path Framework links to for a page file (cleanUrls): telco/customer.html → /telco/customer. */
function pagePath(file: string): string {
  if (file === "index.html") return "/";
  if (file.endsWith("/index.html")) return `/${file.slice(0, -"index.html".length)}`;
  return `/${file.slice(0, -".html".length)}`;
}

/** The first file of dist/ matching a pattern, or a failure naming what the build should have produced. */
async function firstFile(pattern: RegExp, what: string): Promise<string> {
  const file = (await distFiles()).sort().find((f) => pattern.test(f));
  assert.ok(file, `no ${what} in ${dist} (looked for ${pattern})`);
  return file;
}

/** Every record of the audit trail (each line must be valid JSON on its own; harness.readAuditRecords). */
const auditLog = () => readAuditRecords(site.auditDir);

/**
 * The records whose JSON contains `marker` (each test uses its own), once `expected` of them are there. The
 * service stores before it answers, so only events a page sends by itself need the wait; the extra 100 ms
 * catches records that should not be there.
 */
async function auditLinesWith(marker: string, expected: number): Promise<Array<Record<string, unknown>>> {
  const deadline = Date.now() + 3000;
  const matching = async () => (await auditLog()).filter((r) => JSON.stringify(r).includes(marker));
  while ((await matching()).length < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
  await new Promise((r) => setTimeout(r, 100));
  return matching();
}

/** A valid event body (src/lib/audit-schema.ts) with a fresh ID. */
const chartEvent = (chart: string, extra = "") =>
  JSON.stringify({ id: randomUUID(), event: "chart_downloaded", page: "/models", detail: { chart, format: "png" } }) +
  extra;

const beacon = (body: string | Buffer, from?: string, headers: Record<string, string> = {}) =>
  ask("/api/audit", {
    method: "POST",
    body,
    from,
    headers: { "content-type": "text/plain;charset=UTF-8", ...headers },
  });

// ------------------------------------------------------------------------------------------------ tests

describe("security headers", () => {
  const required = ["content-security-policy", "x-content-type-options", "referrer-policy", "permissions-policy"];

  it("are on HTML, assets, WASM, errors, the health check and the beacon", async () => {
    const asset = await firstFile(/^_observablehq\/.+\.js$/, "Framework client script");
    const paths = ["/", "/telco/customer", `/${asset}`, "/no/such/page", "/healthz"];
    const wasm = (await distFiles()).find((f) => f.endsWith(".wasm"));
    if (wasm) paths.push(`/${wasm}`);
    for (const path of paths) {
      const res = await ask(path);
      for (const name of required) assert.ok(res.headers[name], `${name} on ${path} (${res.status})`);
      assert.equal(res.headers["x-content-type-options"], "nosniff");
      assert.equal(res.headers.server, "nginx", `no version in Server on ${path}`);
    }
    const res = await beacon(chartEvent("header-check"), "127.0.0.9");
    assert.equal(res.status, 204);
    for (const name of required) assert.ok(res.headers[name], `${name} on the beacon`);
    assert.ok(!Array.isArray(res.headers["content-security-policy"]), "one CSP on the beacon");
  });

  it("the CSP allows each page's inline scripts by hash, WASM compilation, blob: workers, and nothing external", async () => {
    for (const file of (await distFiles()).filter((f) => f.endsWith(".html") && f !== "404.html")) {
      const res = await ask(pagePath(file));
      assert.equal(res.status, 200, pagePath(file));
      const csp = String(res.headers["content-security-policy"]);
      const directives = new Map(
        csp
          .split(/;\s*/)
          .map((d) => d.trim().split(/\s+/))
          .map((w) => [w[0], w.slice(1)]),
      );
      const scriptSrc = directives.get("script-src") ?? [];
      for (const hash of inlineScriptHashes(res.body.toString("utf8"), file)) {
        assert.ok(scriptSrc.includes(hash), `${file}: ${hash} in script-src`);
      }
      assert.ok(scriptSrc.includes("'wasm-unsafe-eval'"));
      assert.deepEqual(directives.get("script-src-attr"), ["'unsafe-hashes'", ...htlPlaceholderHashes()]);
      assert.ok(!scriptSrc.includes("'unsafe-inline'") && !scriptSrc.includes("'unsafe-eval'"));
      assert.deepEqual(directives.get("default-src"), ["'self'"]);
      assert.deepEqual(directives.get("connect-src"), ["'self'"]);
      assert.deepEqual(directives.get("worker-src"), ["'self'", "blob:"]);
      assert.deepEqual(directives.get("object-src"), ["'none'"]);
      assert.deepEqual(directives.get("base-uri"), ["'self'"]);
      assert.deepEqual(directives.get("frame-ancestors"), ["'self'"]);
      assert.ok(!/https?:/.test(csp), "no external origin anywhere in the CSP");
    }
  });
});

describe("cache policy", () => {
  it("HTML revalidates on every use", async () => {
    for (const path of ["/", "/telco/customer"]) assert.equal((await ask(path)).headers["cache-control"], "no-cache");
  });

  it("content-hashed assets under /_npm/, /_observablehq/, /_file/ and /_import/ are immutable for a year", async () => {
    const files = await distFiles();
    let checked = 0;
    for (const folder of ["_npm", "_observablehq", "_file", "_import"]) {
      const file = files.find((f) => f.startsWith(`${folder}/`) && !f.endsWith(".gz"));
      if (!file) continue; // a site may have no /_file/ or /_import/ yet; _npm and _observablehq always exist
      const res = await ask(`/${file}`);
      assert.equal(res.status, 200, file);
      assert.equal(res.headers["cache-control"], "public, max-age=31536000, immutable", file);
      checked += 1;
    }
    assert.ok(checked >= 2, "at least /_npm/ and /_observablehq/ were checked");
  });

  it("errors, the health check and the beacon are never cached as immutable", async () => {
    assert.equal((await ask("/_npm/no-such-package@1.0.0/x.js")).headers["cache-control"], undefined);
    assert.equal((await ask("/healthz")).headers["cache-control"], "no-store");
    assert.equal((await beacon(chartEvent("cache-check"), "127.0.0.10")).headers["cache-control"], "no-store");
  });
});

describe("content types", () => {
  it("serves .wasm as application/wasm, .arrow as Arrow IPC, .onnx as octet-stream, scripts as JavaScript", async () => {
    const files = await distFiles();
    const expect: Array<[RegExp, RegExp]> = [
      [/\.wasm$/, /^application\/wasm$/],
      [/\.arrow$/, /^application\/vnd\.apache\.arrow\.file$/],
      [/\.onnx$/, /^application\/octet-stream$/],
      [/\.js$/, /^(application|text)\/javascript(; charset=utf-8)?$/],
    ];
    const missing: string[] = [];
    for (const [ext, type] of expect) {
      const file = files.find((f) => ext.test(f));
      if (!file) {
        missing.push(String(ext));
        continue;
      }
      assert.match(String((await ask(`/${file}`)).headers["content-type"]), type, file);
    }
    // The real site has all four (DuckDB, Arrow tables, the ONNX model); a partial dist is reported, not hidden.
    assert.ok(missing.length <= 2, `dist has no files of: ${missing.join(", ")}`);
    if (missing.length) console.log(`# content types not checked (no such file in dist): ${missing.join(", ")}`);
  });
});

describe("compression", () => {
  it("serves the precompressed .gz of a large asset to a client that accepts gzip", async () => {
    const gz = await firstFile(/\.(wasm|js)\.gz$/, "precompressed asset (run scripts/postbuild.sh after the build)");
    const file = gz.slice(0, -".gz".length);
    const res = await ask(`/${file}`, { headers: { "accept-encoding": "gzip" } });
    assert.equal(res.status, 200);
    assert.equal(res.headers["content-encoding"], "gzip");
    assert.match(String(res.headers.vary), /Accept-Encoding/i);
    assert.ok(res.body.equals(readFileSync(join(dist, gz))), "the bytes of the .gz file");
    assert.ok(gunzipSync(res.body).equals(readFileSync(join(dist, file))), "which decompress to the asset");
    const plain = await ask(`/${file}`);
    assert.equal(plain.headers["content-encoding"], undefined);
    assert.equal(plain.body.length, statSync(join(dist, file)).size);
  });

  it("gzips HTML on the fly", async () => {
    const res = await ask("/", { headers: { "accept-encoding": "gzip" } });
    assert.equal(res.headers["content-encoding"], "gzip");
    assert.ok(gunzipSync(res.body).equals(readFileSync(join(dist, "index.html"))));
  });
});

describe("range requests", () => {
  it("answer 206 with exactly the requested bytes", async () => {
    const file = await firstFile(/\.(wasm|arrow)$/, "WASM or Arrow file");
    const size = statSync(join(dist, file)).size;
    const res = await ask(`/${file}`, { headers: { range: "bytes=100-199" } });
    assert.equal(res.status, 206);
    assert.equal(res.headers["content-range"], `bytes 100-199/${size}`);
    assert.ok(res.body.equals(readFileSync(join(dist, file)).subarray(100, 200)));
    assert.equal((await ask(`/${file}`, { headers: { range: `bytes=${size}-` } })).status, 416);
  });
});

describe("clean URLs and errors", () => {
  it("serves every page at its extension-less URL", async () => {
    const pages = (await distFiles()).filter((f) => f.endsWith(".html") && f !== "404.html");
    assert.ok(pages.length > 0);
    for (const file of pages) {
      const res = await ask(pagePath(file));
      assert.equal(res.status, 200, pagePath(file));
      assert.ok(res.body.equals(readFileSync(join(dist, file))), `${pagePath(file)} is ${file}`);
    }
  });

  it("answers an unknown path with 404 and the site's 404 page", async () => {
    assert.ok(existsSync(join(dist, "404.html")), "dist/404.html is missing: add src/404.md to the site");
    for (const path of ["/no/such/page", "/telco/nope", "/404.html", "/.env", "/.git/config"]) {
      const res = await ask(path);
      assert.equal(res.status, 404, path);
      assert.ok(res.body.equals(readFileSync(join(dist, "404.html"))), `${path} shows the 404 page`);
    }
  });

  it("reports health at /healthz", async () => {
    const res = await ask("/healthz");
    assert.equal(res.status, 200);
    assert.equal(res.body.toString(), "ok\n");
  });
});

describe("audit beacon", () => {
  it("stores each accepted event as one JSON record, with the server's time and nginx's request id", async () => {
    const id = randomUUID();
    const body = JSON.stringify({
      id,
      event: "customer_opened",
      page: "/telco/customer",
      detail: { customer: "7590-VHVEG" },
    });
    assert.equal((await beacon(body, "127.0.0.11")).status, 204);
    const lines = await auditLinesWith("7590-VHVEG", 1);
    assert.equal(lines.length, 1);
    const last = lines[0]!;
    assert.equal(last.id, id);
    assert.deepEqual(last.detail, { customer: "7590-VHVEG" });
    assert.match(String(last.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.match(String(last.request_id), /^[0-9a-f]{32}$/);
    assert.deepEqual(
      Object.keys(last).sort(),
      ["detail", "event", "id", "page", "request_id", "time", "user"],
      "no IP, no user agent",
    );
  });

  it("refuses a log-injection attempt (quotes, newlines, a fake JSON line, control bytes) and stores nothing", async () => {
    const forged = `{"time":"2000-01-01T00:00:00+00:00","request_id":"x","body":"forged"}`;
    const body = `{"event":"injection\\"}"}\n${forged}\r\n\u0000\u001b[31m\\u000A é ✓ "quoted" \\`;
    const before = (await auditLog()).length;
    assert.equal((await beacon(body, "127.0.0.12")).status, 400);
    assert.equal((await auditLog()).length, before, "nothing was added");
  });

  it("stores N records for N events sent within the burst", async () => {
    const n = 25;
    const statuses = [];
    for (let i = 0; i < n; i++) statuses.push((await beacon(chartEvent(`burst-${i}`), "127.0.0.13")).status);
    assert.deepEqual(statuses, Array(n).fill(204));
    const lines = await auditLinesWith("burst-", n);
    assert.equal(lines.length, n);
    console.log(`# beacons: ${n} sent, ${lines.length} stored`);
  });

  it("answers 429 past the per-client burst and stores only the accepted events", async () => {
    const statuses = await Promise.all(
      Array.from({ length: 60 }, (_, i) => beacon(chartEvent(`flood-${i}`), "127.0.0.14")),
    ).then((replies) => replies.map((r) => r.status));
    const accepted = statuses.filter((s) => s === 204).length;
    assert.ok(
      statuses.every((s) => s === 204 || s === 429),
      `only 204 and 429: ${statuses}`,
    );
    assert.ok(accepted >= 30 && accepted < 60, `burst of 30 accepted, the rest refused (accepted ${accepted})`);
    assert.equal((await auditLinesWith("flood-", accepted)).length, accepted);
    console.log(`# rate limit: 60 events at once, ${accepted} accepted and stored, ${60 - accepted} answered 429`);
    // Another client is not affected by this one's flood.
    assert.equal((await beacon(chartEvent("other-client"), "127.0.0.15")).status, 204);
    assert.match(
      site.errors(),
      /limiting requests.*zone "audit", client: 127\.0\.0\.14/,
      "429s are reported with the client",
    );
  });

  it("accepts a body of exactly 2 KiB and answers 413 above it", async () => {
    // JSON allows trailing whitespace: a valid event padded to the size under test.
    const padded = (n: number) => {
      const body = chartEvent("size-cap");
      return body + " ".repeat(n - body.length);
    };
    assert.equal((await beacon(padded(2048), "127.0.0.16")).status, 204);
    assert.equal((await beacon(padded(2049), "127.0.0.16")).status, 413);
    assert.equal((await auditLinesWith("size-cap", 1)).length, 1, "only the accepted one is stored");
  });

  it("refuses other methods and events from other sites' pages", async () => {
    assert.equal((await ask("/api/audit", { from: "127.0.0.17" })).status, 405);
    assert.equal(
      (await beacon(chartEvent("origin-cross"), "127.0.0.17", { "sec-fetch-site": "cross-site" })).status,
      403,
    );
    assert.equal(
      (await beacon(chartEvent("origin-same"), "127.0.0.17", { "sec-fetch-site": "same-origin" })).status,
      204,
    );
    const lines = await auditLinesWith("origin-", 1);
    assert.deepEqual(
      lines.map((line) => (line.detail as { chart: string }).chart),
      ["origin-same"],
    );
  });
});

describe("load", () => {
  const wrk = "/usr/bin/wrk";

  for (const target of ["/", "asset"]) {
    it(`wrk -t2 -c16 -d3s on ${target} gives no errors and no non-2xx/3xx responses`, async () => {
      assert.ok(existsSync(wrk), "wrk is not installed: run `bash scripts/setup.sh test`");
      const path = target === "/" ? "/" : `/${await firstFile(/^_observablehq\/client\..+\.js$/, "Framework client")}`;
      const { stdout } = await promisify(execFile)(wrk, ["-t2", "-c16", "-d3s", new URL(path.slice(1), site.url).href]);
      const rate = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1]);
      assert.ok(rate > 0, stdout);
      assert.doesNotMatch(stdout, /Non-2xx or 3xx responses/, stdout);
      assert.doesNotMatch(stdout, /Socket errors/, stdout);
      console.log(`# wrk ${path}: ${rate} requests/s`);
    });
  }
});

describe("pages in Chromium", () => {
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  it("every page of dist/ loads with no CSP violation, console error, failed or external request", async () => {
    const pages = (await distFiles()).filter((f) => f.endsWith(".html")).sort();
    const report: string[] = [];
    for (const file of pages) {
      const page = await browser.newPage();
      const watch = await watchPage(page);
      // The 404 page is checked where users see it: at a missing URL (its own document status is 404).
      const path = file === "404.html" ? "/no/such/page" : pagePath(file);
      const res = await page.goto(new URL(path.slice(1), site.url).href, { waitUntil: "networkidle" });
      assert.equal(res?.status(), file === "404.html" ? 404 : 200, path);
      // Cells render after the network settles (DuckDB queries, Plot); give them a moment, then look.
      await page.waitForTimeout(300);
      const cellErrors = await page.locator(".observablehq--error").allTextContents();
      // On the 404 page, the document's own 404 status is expected (as a response and as Chromium's console line).
      const expected404 = (p: string) =>
        p.endsWith(`${path}: 404`) || /^console error: Failed to load resource: .* 404/.test(p);
      const problems = watch.problems().filter((p) => !(file === "404.html" && expected404(p)));
      for (const p of [...problems, ...cellErrors.map((e) => `cell error: ${e}`)]) report.push(`${path}: ${p}`);
      await page.close();
    }
    assert.deepEqual(report, [], `problems on ${pages.length} pages`);
  });

  it("every page is readable at 375 px: nothing makes the page scroll sideways", async () => {
    const pages = (await distFiles()).filter((f) => f.endsWith(".html") && f !== "404.html").sort();
    const report: string[] = [];
    for (const file of pages) {
      const page = await browser.newPage({ viewport: { width: 375, height: 800 } });
      const path = pagePath(file);
      await page.goto(new URL(path.slice(1), site.url).href, { waitUntil: "networkidle" });
      await page.waitForTimeout(300);
      // Wide tables scroll inside their own box; the page itself must not be wider than the screen.
      const { scrollWidth, widest } = await page.evaluate(() => {
        let widest = "";
        let max = 0;
        for (const el of document.querySelectorAll("#observablehq-main *")) {
          const right = el.getBoundingClientRect().right;
          if (right > max) [max, widest] = [right, `${el.tagName.toLowerCase()}.${el.className}`];
        }
        return { scrollWidth: document.documentElement.scrollWidth, widest: `${widest} ends at ${Math.round(max)}px` };
      });
      if (scrollWidth > 376) report.push(`${path}: ${scrollWidth}px wide (${widest})`);
      await page.close();
    }
    assert.deepEqual(report, [], `pages wider than 375 px`);
  });

  it("audit() sends a beacon from a page that lands in the log", async () => {
    const client = await auditClientScript();
    const page = await browser.newPage();
    const watch = await watchPage(page);
    await page.goto(new URL("telco/customer", site.url).href, { waitUntil: "networkidle" });
    // Evaluated through the DevTools protocol, so the test code itself needs no CSP exception.
    await page.evaluate(`${client}; RetentionLabAudit.audit("customer_opened", {customer: "0002-ORFBO"})`);
    const lines = await auditLinesWith("0002-ORFBO", 1);
    await page.close();
    assert.equal(lines.length, 1);
    const { event, page: path, detail } = lines[0]!;
    assert.deepEqual(
      { event, page: path, detail },
      {
        event: "customer_opened",
        page: "/telco/customer",
        detail: { customer: "0002-ORFBO" },
      },
    );
    assert.deepEqual(watch.problems(), []);
  });
});
