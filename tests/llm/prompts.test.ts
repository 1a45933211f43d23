import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { nudgePrompt, offerPrompt, PROMPT_VERSION } from "../../data-loaders/llm/prompts.js";
import { nudgeFacts, offerFacts } from "./fixtures.js";

describe("prompts", () => {
  it("nudgePrompt states the facts: persona, tenure, contract, support, delays, risk, drivers, variant", () => {
    const p = nudgePrompt(nudgeFacts(0));
    const user = p.messages[1].content;
    for (const s of [
      "persona: Streamer",
      "tenure: 2 months",
      "contract: Month-to-month",
      "support calls: 0",
      "payment delay: 0 days",
      "risk tier: high (probability 0.90)",
      "1. contract = Month-to-month (raises risk, +0.12)",
      "3. online_security = No (lowers risk, -0.02)",
      "Variant B",
    ]) {
      assert.ok(user.includes(s), s);
    }
    assert.equal(p.version, PROMPT_VERSION.nudge);
    assert.match(p.messages[0].content, /Do not mention prices, amounts, discounts or percentages/);
  });

  it("offerPrompt states the LTV and the drivers, and leaves the amount to the token the page fills", () => {
    const p = offerPrompt(offerFacts(0));
    assert.match(p.messages[0].content, /write \{amount\} exactly once/);
    assert.match(p.messages[0].content, /no other amount, price, number of rupees or percentage/);
    assert.match(p.messages[1].content, /lifetime value: ₹500/);
    assert.match(p.messages[1].content, /Delivery delay|delivery_delay_min/);
    assert.equal(p.version, "offer-v2");
  });

  it("never includes a customer id (prompts are built from facts only)", () => {
    const p = nudgePrompt(nudgeFacts(3));
    assert.ok(!JSON.stringify(p).includes("C000"));
  });

  it("hashes the same facts to the same prompt hash, whatever the profile's key order", () => {
    const a = nudgePrompt(nudgeFacts(1, { profile: { a: 1, b: "x" } }));
    const b = nudgePrompt(nudgeFacts(1, { profile: { b: "x", a: 1 } }));
    assert.equal(a.hash, b.hash);
    assert.match(a.hash, /^[0-9a-f]{64}$/);
    assert.notEqual(a.hash, nudgePrompt(nudgeFacts(2)).hash);
  });

  it("uses at most three drivers", () => {
    const drivers = Array.from({ length: 6 }, (_, i) => ({ name: `f${i}`, value: i, direction: "raises" as const }));
    const user = nudgePrompt(nudgeFacts(0, { drivers })).messages[1].content;
    assert.ok(user.includes("f2 = 2") && !user.includes("f3 = 3"));
  });
});
