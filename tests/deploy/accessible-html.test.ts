/** scripts/accessible-html.ts: the accessibility fixes to Framework's page shell, applied after the build. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { accessibleHtml, SKIP_LINK } from "../../scripts/accessible-html.js";

const VIEWPORT = `<meta name="viewport" content="width=device-width, initial-scale=1, maximum-scale=1">`;
const MAIN = `<main id="observablehq-main" class="observablehq">`;
const page = `<!DOCTYPE html>
<html>
<head>
${VIEWPORT}
</head>
<body>
<input id="observablehq-sidebar-toggle" type="checkbox" title="Toggle sidebar">
<label id="observablehq-sidebar-backdrop" for="observablehq-sidebar-toggle"></label>
<nav id="observablehq-sidebar">
  <ol>
    <label id="observablehq-sidebar-close" for="observablehq-sidebar-toggle"></label>
    <li class="observablehq-link"><a href="./">Retention Lab</a></li>
  </ol>
</nav>
<div id="observablehq-center">
<header id="observablehq-header">Retention Lab</header>
${MAIN}
</main></div></body></html>`;
const frame = `<!DOCTYPE html>\n<html>\n<head>\n${VIEWPORT}\n</head>\n<body>\n<div id="observablehq-center">\n${MAIN}\n</main></div></body></html>`;

describe("accessibleHtml", () => {
  it("names the language, lets people zoom and makes the main content focusable", () => {
    const out = accessibleHtml(frame);
    assert.match(out, /<html lang="en">/);
    assert.match(out, /content="width=device-width, initial-scale=1">/);
    assert.match(out, /<main id="observablehq-main" class="observablehq" tabindex="-1">/);
    assert.ok(!out.includes(SKIP_LINK), "a chrome-free frame has nothing to skip");
  });

  it("puts the skip link first in the body, names the sidebar toggle and keeps only <li> in the sidebar's lists", () => {
    const out = accessibleHtml(page);
    assert.ok(out.includes(`<body>\n${SKIP_LINK}\n<input id="observablehq-sidebar-toggle"`));
    assert.match(
      out,
      /<input id="observablehq-sidebar-toggle"[^>]*>\n<label class="rl-sr-only" for="observablehq-sidebar-toggle">/,
    );
    for (const [, list] of out.matchAll(/<ol>([\s\S]*?)<\/ol>/g))
      assert.deepEqual(
        [...list!.matchAll(/<(\w+)[\s>]/g)].map((m) => m[1]).filter((t) => t !== "a"),
        ["li"],
      );
    assert.match(out, /<nav id="observablehq-sidebar">\s*<label id="observablehq-sidebar-close"/);
  });

  it("is idempotent", () => assert.equal(accessibleHtml(accessibleHtml(page)), accessibleHtml(page)));

  it("fails, naming the page, when Framework's shell is not what it expects", () => {
    assert.throws(
      () => accessibleHtml(page.replace(VIEWPORT, ""), "telco/x.html"),
      /telco\/x\.html: the viewport meta tag not found/,
    );
    assert.throws(
      () => accessibleHtml(page.replace(/<ol>\s*<label[^>]*><\/label>/, "<ol>"), "p.html"),
      /p\.html: the sidebar's close label/,
    );
  });
});
