import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fallbackNudge, fallbackOffer, MIN_COUPON, topTheme } from "../../data-loaders/llm/fallback.js";
import type { RiskTier } from "../../data-loaders/llm/types.js";
import { rulesFor, validateMessage } from "../../data-loaders/llm/validate.js";
import { nudgeFacts, offerFacts } from "./fixtures.js";

const tiers: RiskTier[] = ["low", "medium", "high"];
const driverNames = [
  "contract",
  "tenure",
  "support_calls",
  "payment_delay_days",
  "monthly_charges",
  "internet_service",
  "usage_frequency",
  "unknown",
];

describe("fallback library", () => {
  it("is deterministic per customer id and spreads phrasings across ids", () => {
    const facts = nudgeFacts(0);
    assert.deepEqual(fallbackNudge("C1", facts), fallbackNudge("C1", facts));
    const texts = new Set(Array.from({ length: 40 }, (_, i) => fallbackNudge(`C${i}`, facts).text));
    assert.ok(texts.size > 1);
  });

  it("keys nudges by tier × top driver × variant, and every nudge passes validation", () => {
    for (const riskTier of tiers)
      for (const abVariant of ["A", "B"] as const)
        for (const name of driverNames) {
          const facts = nudgeFacts(0, { riskTier, abVariant, drivers: [{ name, value: 1, direction: "raises" }] });
          const { text, template } = fallbackNudge("C7", facts);
          assert.ok(template.startsWith(`nudge/${abVariant}/`) && template.includes(`/${riskTier}#`), template);
          assert.deepEqual(validateMessage(text, rulesFor("nudge", facts)), { ok: true, text });
        }
  });

  it("addresses the top raising driver in variant B only", () => {
    const drivers = [
      { name: "tenure", value: 3, direction: "lowers" as const },
      { name: "payment_delay_days", value: 20, direction: "raises" as const },
    ];
    assert.equal(topTheme(drivers), "payment");
    assert.match(fallbackNudge("x", nudgeFacts(0, { abVariant: "B", drivers })).template, /^nudge\/B\/payment\//);
    assert.match(fallbackNudge("x", nudgeFacts(0, { abVariant: "A", drivers })).template, /^nudge\/A\/general\//);
  });

  it("never offers a coupon above the cap, and no money below MIN_COUPON", () => {
    for (const riskTier of tiers)
      for (const cap of [0, 10, MIN_COUPON, 35, 99.9, 100, 250]) {
        const facts = offerFacts(0, { riskTier, economics: { couponCostCap: cap, maxDiscountPercent: 0 } });
        const { text } = fallbackOffer(`F${cap}`, facts);
        assert.deepEqual(
          validateMessage(text, rulesFor("offer", facts)),
          { ok: true, text },
          `${riskTier} ${cap}: ${text}`,
        );
        const amount = Number(/₹(\d+)/.exec(text)?.[1] ?? 0);
        assert.ok(amount <= cap && (amount === 0 || amount >= MIN_COUPON), text);
      }
  });

  it("names a bad risk tier", () => {
    assert.throws(
      () => fallbackNudge("x", nudgeFacts(0, { riskTier: "severe" as RiskTier })),
      /invalid riskTier: severe/,
    );
  });
});
