/** src/lib/export-meta.ts: what exported charts state about themselves. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Manifest } from "../../src/lib/artifacts.js";
import { buildIdentity, exportHtml, metaLines, resolveMeta } from "../../src/lib/export-meta.js";

const MANIFEST = {
  generator: "retention-lab pipeline",
  seed: 42,
  telco: { rows: 7043, sha256: "16320c9c1ec72448db59aa0a", nudges: {} },
  food: { rows: 20000, offers: {} },
  llm: "none",
  files: { "food/customers.arrow": "34740fb0892d3362358b", "food/model.json": "94772d6ab509e098e782" },
} as Manifest;

describe("export metadata", () => {
  it("identifies the build by content, never by time", () => {
    assert.equal(
      buildIdentity(MANIFEST, "food"),
      "seed 42; food/customers.arrow sha256:34740fb0892d; food/model.json sha256:94772d6ab509",
    );
    assert.equal(buildIdentity(MANIFEST), "seed 42; Telco CSV sha256:16320c9c1ec7; 2 artifacts");
    assert.match(buildIdentity(null), /unknown/);
  });

  it("states the caller's parameters in order, with defaults from the data set", () => {
    const meta = resolveMeta(
      { dataset: "food", parameters: { "LTV (₹)": 800, threshold: 0.31 } },
      { title: "Profit curve", manifest: MANIFEST, site: "https://retention.example.com" },
    );
    assert.match(meta.data, /synthetic food-delivery base \(20,000 customers/);
    assert.match(meta.model, /XGBoost, calibrated \(food\/model\.json sha256:94772d6ab509\)/);
    assert.deepEqual(metaLines(meta).slice(2, 3), ["Parameters: LTV (₹) = 800; threshold = 0.31"]);
  });

  it("exportHtml is one self-contained, escaped document", () => {
    const meta = resolveMeta(
      { parameters: { note: "<b>&" } },
      { title: "A <chart>", manifest: MANIFEST, site: "https://x.example" },
    );
    const html = exportHtml({ svg: "<svg></svg>", rows: [{ a: "</script><x>", b: 1 }], columns: ["a", "b"], meta });
    assert.match(html, /<title>A &lt;chart&gt;<\/title>/);
    assert.match(html, /note = &lt;b&gt;&amp;/);
    assert.match(html, /<td>&lt;\/script&gt;&lt;x&gt;<\/td>/);
    assert.doesNotMatch(
      html.split('id="retention-lab-data">')[1]!.split("</script>")[0]!,
      /</,
      "no markup in the JSON",
    );
    assert.doesNotMatch(html, /\s(src|href)=/);
  });
});
