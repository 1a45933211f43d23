import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { actionOf } from "../../data-loaders/llm/nudge-facts.js";
import { nudgePrompt, offerPrompt, PROMPT_VERSION } from "../../data-loaders/llm/prompts.js";
import { nudgeFacts, offerFacts } from "./fixtures.js";

describe("prompts", () => {
  it("nudgePrompt lists the facts the message may name, word for word, and the action for variant B", () => {
    const action = actionOf([{ feature: "tech_support", to: "Yes" }]);
    const p = nudgePrompt(nudgeFacts(0, { supportCalls: 4, action }));
    const user = p.messages[1].content;
    for (const s of [
      "- you are on a month-to-month contract",
      "- you called our support team 4 times in the last 90 days",
      "- you have been with us for 2 months",
      "- you have fiber optic internet with us",
      "Suggested action to offer: adding tech support to your plan",
      "Variant B",
    ])
      assert.ok(user.includes(s), s);
    assert.ok(!/risk|probability|persona:/i.test(user), "no model view or persona in what the model may quote");
    assert.equal(p.version, PROMPT_VERSION.nudge);
    assert.match(p.messages[0].content, /Use only the facts you are given/);
    assert.match(p.messages[0].content, /Do not mention prices, amounts, discounts or percentages/);
    // The control variant gets the plan facts only, and no action.
    const a = nudgePrompt(nudgeFacts(0, { abVariant: "A", supportCalls: 4, action })).messages[1].content;
    assert.ok(!a.includes("support") && !a.includes("Suggested action"), a);
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

  it("names only drivers a customer would recognise (plan features), never who they are", () => {
    const drivers = [
      { name: "gender", value: "Male", direction: "raises" as const },
      { name: "senior_citizen", value: "Yes", direction: "raises" as const },
      { name: "paperless_billing", value: "Yes", direction: "raises" as const },
    ];
    const user = nudgePrompt(nudgeFacts(0, { drivers })).messages[1].content;
    assert.ok(user.includes("- you get paperless bills"));
    assert.ok(!/male|senior/i.test(user), user);
  });
});
