/** src/lib/embed-origins.ts: the Embed page's "would this origin be allowed?" check. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkOrigin, framePolicy, parseOrigin } from "../../src/lib/embed-origins.js";

const CSP =
  "default-src 'self'; script-src 'self' 'sha256-x'; frame-ancestors 'self' https://wiki.example.com http://127.0.0.1:8000";
const SITE = "https://retention.example.com";

describe("embed origins", () => {
  it("framePolicy reads frame-ancestors from a CSP header", () => {
    assert.deepEqual(framePolicy(CSP), {
      self: true,
      origins: ["https://wiki.example.com", "http://127.0.0.1:8000"],
      open: false,
    });
    assert.deepEqual(framePolicy("default-src 'self'; frame-ancestors 'self'"), {
      self: true,
      origins: [],
      open: false,
    });
    assert.deepEqual(framePolicy(null), { self: true, origins: [], open: true });
  });

  it("parseOrigin takes the origin of an address and refuses what is not one", () => {
    assert.deepEqual(parseOrigin(" https://reports.example.com/q3/report.html "), {
      origin: "https://reports.example.com",
    });
    assert.deepEqual(parseOrigin("reports.example.com"), { origin: "https://reports.example.com" });
    assert.deepEqual(parseOrigin("http://localhost:8000/"), { origin: "http://localhost:8000" });
    assert.match((parseOrigin("") as { error: string }).error, /Type the address/);
    assert.match((parseOrigin("ftp://x.example") as { error: string }).error, /ftp: address/);
    assert.match((parseOrigin("https://") as { error: string }).error, /not a web address/);
  });

  it("checkOrigin allows the list and the site, and says what to ask for otherwise", () => {
    const policy = framePolicy(CSP);
    assert.equal(checkOrigin("https://wiki.example.com/page", policy, SITE).allowed, true);
    assert.equal(checkOrigin(SITE, policy, SITE).allowed, true);
    const no = checkOrigin("https://reports.example.com", policy, SITE);
    assert.equal(no.allowed, false);
    assert.match(
      no.message,
      /not on this site's allow-list \(https:\/\/wiki\.example\.com, http:\/\/127\.0\.0\.1:8000\)/,
    );
    assert.equal(no.ask, 'EMBED_ORIGINS="https://wiki.example.com http://127.0.0.1:8000 https://reports.example.com"');
    const empty = checkOrigin("https://reports.example.com", framePolicy("frame-ancestors 'self'"), SITE);
    assert.match(empty.message, /empty: only the site itself/);
    assert.equal(empty.ask, 'EMBED_ORIGINS="https://reports.example.com"');
  });
});
