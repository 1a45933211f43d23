import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fallbackNudge, fallbackOffer, topTheme } from "../../data-loaders/llm/fallback.js";
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

  it("writes every offer with exactly one amount token, valid, on the theme of the top raising driver", () => {
    const themes: Record<string, RegExp> = {
      delivery_delay_min: /late/i,
      support_tickets: /support|trouble/i,
      recency_days: /miss you|while since/i,
      coupon_usage_rate: /wallet|cost the earth/i,
    };
    for (const riskTier of tiers)
      for (const [name, pattern] of Object.entries(themes))
        for (const id of ["F1", "F2", "F3", "F4"]) {
          const facts = offerFacts(0, { riskTier, drivers: [{ name, value: 1, direction: "raises", impact: 0.1 }] });
          const { text, template } = fallbackOffer(id, facts);
          assert.deepEqual(validateMessage(text, rulesFor("offer", facts)), { ok: true, text }, text);
          assert.equal(text.split("{amount}").length, 2, text);
          assert.match(text, pattern, `${name}: ${text}`);
          assert.match(template, new RegExp(`^offer/${riskTier}/`));
        }
  });

  it("names a bad risk tier", () => {
    assert.throws(
      () => fallbackNudge("x", nudgeFacts(0, { riskTier: "severe" as RiskTier })),
      /invalid riskTier: severe/,
    );
  });
});
