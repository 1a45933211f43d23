import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fallbackNudge, fallbackOffer, topTheme } from "../../data-loaders/llm/fallback.js";
import type { RiskTier } from "../../data-loaders/llm/types.js";
import { groundingProblem } from "../../data-loaders/llm/grounding.js";
import { actionOf } from "../../data-loaders/llm/nudge-facts.js";
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
  it("is deterministic per customer id", () => {
    const facts = nudgeFacts(0);
    assert.deepEqual(fallbackNudge("C1", facts), fallbackNudge("C1", facts));
  });

  it("every nudge names at least two of its customer's facts, word for word, and passes validation (grounded)", () => {
    for (const riskTier of tiers)
      for (const abVariant of ["A", "B"] as const)
        for (const name of driverNames)
          for (const supportCalls of [0, 4]) {
            const facts = nudgeFacts(0, {
              riskTier,
              abVariant,
              supportCalls,
              paymentDelayDays: 0,
              drivers: [{ name, value: name === "contract" ? "Month-to-month" : 1, direction: "raises" }],
            });
            const nudge = fallbackNudge("C7", facts);
            assert.ok(nudge.facts.length >= 2, nudge.text);
            for (const f of nudge.facts) assert.ok(nudge.text.includes(f.phrase), `${f.phrase} not in ${nudge.text}`);
            assert.deepEqual(validateMessage(nudge.text, rulesFor("nudge", facts)), { ok: true, text: nudge.text });
            assert.equal(groundingProblem(nudge.text, nudge.facts), null, nudge.text);
          }
  });

  it("variant B says why (its drivers and behaviour) and suggests the action; A is the plain check-in", () => {
    const drivers = [
      { name: "internet_service", value: "Fiber optic", direction: "raises" as const },
      { name: "tenure", value: 3, direction: "lowers" as const },
    ];
    const action = actionOf([{ feature: "contract", to: "One year" }]);
    const b = fallbackNudge("x", nudgeFacts(0, { abVariant: "B", drivers, supportCalls: 4, action }));
    assert.equal(
      b.text,
      "We noticed that you have fiber optic internet with us, you called our support team 4 times in the last 90 days " +
        "and you have been with us for 2 months. We would like to help by moving you to a one-year contract; reply to " +
        "this message and we will arrange it.",
    );
    assert.deepEqual(
      b.facts.map((f) => f.key),
      ["internet_service", "support_calls", "tenure", "action"],
    );
    assert.match(
      b.because,
      /^Because Internet service: Fiber optic, Support calls: 4 calls and Tenure: 2 months; suggested: moving you/,
    );
    const a = fallbackNudge("x", nudgeFacts(0, { abVariant: "A", drivers, supportCalls: 4, action }));
    assert.doesNotMatch(a.text, /support|one-year/i);
    assert.deepEqual(
      a.facts.map((f) => f.key),
      ["tenure", "contract", "internet_service"],
    );
    assert.match(a.because, /^Control group \(A\): the standard check-in/);
  });

  it("topTheme picks the first raising driver's theme (offers)", () => {
    const drivers = [
      { name: "tenure", value: 3, direction: "lowers" as const },
      { name: "payment_delay_days", value: 20, direction: "raises" as const },
    ];
    assert.equal(topTheme(drivers), "payment");
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
