import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  EMBED_VIEWS,
  EmbedOptionError,
  FRAME_SIZE_MESSAGE,
  checkEmbedOptions,
  embedOptionsFromSearch,
  frameUrl,
  iframeSnippet,
  moduleSnippet,
  moduleUrl,
  nonDefaultOptions,
} from "../../src/lib/embed-views.js";
import { CAMPAIGN_SETUP } from "../../src/lib/campaign-data.js";

const BASE = "https://retention.example.com/";

describe("the embeddable views", () => {
  it("are the six key views, each with a unique id and export name", () => {
    assert.deepEqual(
      EMBED_VIEWS.map((v) => v.id),
      ["risk-distribution", "global-shap", "customer-waterfall", "profit-curve", "ab-comparison", "business-matrix"],
    );
    assert.equal(new Set(EMBED_VIEWS.map((v) => v.exportName)).size, EMBED_VIEWS.length);
    for (const v of EMBED_VIEWS) assert.ok("width" in v.params, `${v.id} takes a width`);
  });
});

describe("checkEmbedOptions", () => {
  it("fills in the defaults (the food Retention page's economics; the optimum when no number of customers)", () => {
    const d = CAMPAIGN_SETUP.food.defaults;
    assert.deepEqual(checkEmbedOptions("profit-curve"), {
      dataset: "food",
      costModel: d.costModel,
      value: d.valueMode,
      ltv: d.flatValue,
      couponCost: d.couponCost,
      contactCost: d.contactCost,
      acceptance: d.acceptance,
      customers: undefined,
      width: undefined,
    });
    assert.deepEqual(checkEmbedOptions("customer-waterfall"), { customer: "7590-VHVEG", top: 8, width: undefined });
    assert.deepEqual(checkEmbedOptions("risk-distribution"), {
      dataset: "telco",
      customer: undefined,
      width: undefined,
    });
  });

  it("accepts numbers as strings (URL parameters) and normalises customer IDs", () => {
    assert.deepEqual(checkEmbedOptions("customer-waterfall", { customer: " 7590-vhveg ", top: "5", width: "480" }), {
      customer: "7590-VHVEG",
      top: 5,
      width: 480,
    });
  });

  it("names the view, the option and what was expected", () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ["profit-curve", { ltv: "abc" }, /profit-curve: option "ltv" is "abc": expected a number from 50 to 10000/],
      ["profit-curve", { acceptance: 0 }, /option "acceptance" is 0: expected a number from 0.01 to 1/],
      ["profit-curve", { customers: 2.5 }, /option "customers" is 2.5: expected a whole number from 0 to 100000000/],
      ["business-matrix", { costModel: "free" }, /option "costModel" is "free": expected one of coupon, gift/],
      ["profit-curve", { threshold: 0.3 }, /option "threshold" is not an option of this view/],
      ["global-shap", { top: 2.5 }, /option "top" is 2.5: expected a whole number from 1 to 30/],
      ["global-shap", { dataset: "bank" }, /option "dataset" is "bank": expected one of telco, food/],
      ["customer-waterfall", { customer: "<script>" }, /option "customer" is "<script>": expected a Telco customer ID/],
      ["ab-comparison", { ltv: 5 }, /option "ltv" is not an option of this view \(options: width\)/],
      ["nope", {}, /unknown view "nope"/],
    ];
    for (const [view, options, message] of cases) {
      assert.throws(
        () => checkEmbedOptions(view, options),
        (e: Error) => e instanceof EmbedOptionError && message.test(e.message),
        `${view} ${JSON.stringify(options)}`,
      );
    }
  });

  it("refuses a URL parameter given twice", () => {
    assert.throws(() => embedOptionsFromSearch("profit-curve", "?ltv=500&ltv=600"), /"ltv" is given twice/);
    assert.equal(embedOptionsFromSearch("profit-curve", "?ltv=800&acceptance=0.4").ltv, 800);
  });
});

describe("snippets and URLs", () => {
  it("frame URLs carry only the options that differ from the defaults", () => {
    assert.equal(frameUrl(BASE, "profit-curve", checkEmbedOptions("profit-curve")), `${BASE}embed/profit-curve`);
    assert.equal(
      frameUrl(BASE, "profit-curve", checkEmbedOptions("profit-curve", { ltv: 800, acceptance: 0.4 })),
      `${BASE}embed/profit-curve?ltv=800&acceptance=0.4`,
    );
    assert.deepEqual(nonDefaultOptions("global-shap", { dataset: "food", top: 12 }), { dataset: "food" });
    assert.equal(moduleUrl("https://x.example/sub/", "ab-comparison"), "https://x.example/sub/embed/ab-comparison.js");
  });

  it("the module snippet imports the export by name from the site and calls it with the options", () => {
    const snippet = moduleSnippet(BASE, "profit-curve", { ltv: 800, acceptance: 0.4 });
    assert.match(snippet, /import \{ProfitCurve\} from "https:\/\/retention\.example\.com\/embed\/profit-curve\.js";/);
    assert.match(snippet, /await ProfitCurve\(\{ltv: 800, acceptance: 0\.4\}\)/);
    assert.match(moduleSnippet(BASE, "ab-comparison"), /await AbComparison\(\)/);
  });

  it("the iframe snippet escapes its attributes and listens only to the site's origin", () => {
    const snippet = iframeSnippet(BASE, "customer-waterfall", { customer: "1234-ABCDE", top: 5 });
    assert.match(
      snippet,
      /<iframe src="https:\/\/retention\.example\.com\/embed\/customer-waterfall\?customer=1234-ABCDE&amp;top=5"/,
    );
    assert.match(snippet, /title="Why this prediction\? \(one customer's SHAP waterfall\)"/);
    assert.ok(snippet.includes(`e.origin !== "https://retention.example.com"`));
    assert.ok(snippet.includes(FRAME_SIZE_MESSAGE));
  });
});
