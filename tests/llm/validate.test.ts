import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { rulesFor, validateMessage, type ValidationRules } from "../../data-loaders/llm/validate.js";
import { nudgeFacts, offerFacts } from "./fixtures.js";

const offer: ValidationRules = { maxLength: 280, maxDiscountPercent: 20, maxDiscountAmount: 100 };
const nudge: ValidationRules = { maxLength: 320, maxDiscountPercent: 0, maxDiscountAmount: 0 };
const reason = (text: string, rules = offer) => {
  const v = validateMessage(text, rules);
  return v.ok ? "ok" : v.reason;
};

describe("validateMessage", () => {
  it("accepts plain text and normalises whitespace and wrapping quotes", () => {
    assert.deepEqual(validateMessage('  "We miss you!\n Here is ₹80 off,  this week."  ', offer), {
      ok: true,
      text: "We miss you! Here is ₹80 off, this week.",
    });
    assert.equal(reason("Thanks for staying with us; reply to talk to our team.", nudge), "ok");
  });

  it("rejects empty text", () => {
    assert.equal(reason("   "), "empty");
    assert.equal(reason('""'), "empty");
  });

  it("rejects text over the length cap", () => {
    assert.equal(reason("a".repeat(281)), "too-long");
    assert.equal(reason("a".repeat(280)), "ok");
  });

  it("rejects control, zero-width and bidi-override characters", () => {
    for (const c of ["\u0000", "\u0007", "\u001b[31m", "\u200b", "\u202e"])
      assert.equal(reason(`Hi${c}there`), "control-chars");
  });

  it("rejects HTML, scripts and entities", () => {
    assert.equal(reason("Hi <script>alert(1)</script>"), "html");
    assert.equal(reason("Hi <b>there</b>"), "html");
    assert.equal(reason("Hi <img src=x onerror=alert(1)"), "html");
    assert.equal(reason("Fish &amp; chips"), "html");
    assert.equal(reason("If 3 < 4 and 5 > 2, fine"), "ok");
  });

  it("rejects Markdown: headings, emphasis, code, lists, quotes, tables", () => {
    for (const text of [
      "# Hello",
      "We **love** you",
      "We *love* you",
      "Use `code`",
      "- one\n- two",
      "1. first",
      "> quoted",
      "| a | b |",
      "__bold__",
      "~~old~~",
      "_really_ nice",
    ]) {
      assert.equal(reason(text), "markdown", text);
    }
    assert.equal(reason("Our 24/7 team - always here - is ready."), "ok");
  });

  it("rejects links and email addresses", () => {
    assert.equal(reason("See https://example.com now"), "link");
    assert.equal(reason("Visit www.example.org"), "link");
    assert.equal(reason("Order on zomato.com today"), "link");
    assert.equal(reason("Click [here](http://x.io)"), "link");
    assert.equal(reason("Write to help@example.com"), "email");
  });

  it("rejects template placeholders", () => {
    assert.equal(reason("Dear [Customer Name], we miss you"), "placeholder");
    assert.equal(reason("Hi {first_name}"), "placeholder");
  });

  it("rejects any percentage or money amount above the caps", () => {
    assert.equal(reason("Get 20% off your next order"), "ok");
    assert.equal(reason("Get 25% off your next order"), "over-cap");
    assert.equal(reason("Get 30 percent off"), "over-cap");
    assert.equal(reason("Here is ₹100 off"), "ok");
    assert.equal(reason("Here is ₹150 off"), "over-cap");
    assert.equal(reason("Here is Rs. 1,000 off"), "over-cap");
    assert.equal(reason("Here is INR 120 off"), "over-cap");
    assert.equal(reason("Here is 500 rupees off"), "over-cap");
    assert.equal(reason("We will credit $5 to your bill", nudge), "over-cap");
    assert.equal(reason("Enjoy 10% off your plan", nudge), "over-cap");
  });
});

describe("rulesFor", () => {
  it("takes an offer's caps from its economics and forbids discounts in nudges by default", () => {
    assert.deepEqual(rulesFor("offer", offerFacts(0)), offer);
    assert.deepEqual(rulesFor("nudge", nudgeFacts(0)), nudge);
    assert.equal(rulesFor("nudge", nudgeFacts(0, { maxDiscountPercent: 10 })).maxDiscountPercent, 10);
  });
});
