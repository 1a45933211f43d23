import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RawRow } from "../../src/lib/features.js";
import { modelInputs } from "../../src/lib/whatif.js";
import { customer as telcoCustomer } from "./telco-customer.js";
import {
  ACTIONABLE,
  applyChanges,
  availableChanges,
  changeSets,
  rankOptions,
  searchCounterfactual,
  type Counterfactual,
} from "../../src/lib/counterfactual.js";

/** 7590-VHVEG's model inputs: month-to-month, electronic check, DSL with online backup only. */
const customer: RawRow = modelInputs(telcoCustomer);

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/**
 * A hand-built logistic model. Its strongest levers are NOT actionable (tenure, gender, senior citizen): a search
 * that changed them would find a one-change answer; the only actionable way below 50% needs two changes, and the
 * cheapest pair is known: payment method (automatic, $10) + tech support ($60).
 */
function handBuilt(row: RawRow): number {
  let z = 1.0;
  z -= 0.1 * Number(row.tenure); // 10 months of tenure alone would do it
  if (row.gender === "Male") z -= 3;
  if (row.senior_citizen === "Yes") z -= 3;
  if (row.contract === "One year") z -= 0.35;
  if (row.contract === "Two year") z -= 0.9;
  if (String(row.payment_method).includes("automatic")) z -= 0.5;
  if (row.tech_support === "Yes") z -= 0.55;
  if (row.online_security === "Yes") z -= 0.3;
  if (row.paperless_billing === "No") z -= 0.2;
  return sigmoid(z);
}
const score = (rows: RawRow[]) => rows.map(handBuilt);

describe("searchCounterfactual on a hand-built model", () => {
  it("finds the known minimal change: two changes, the cheapest pair first, each below the threshold", async () => {
    assert.ok(handBuilt(customer) >= 0.5);
    const result = await searchCounterfactual(customer, score, { threshold: 0.5 });
    assert.equal(result.status, "found");
    const found = result as Extract<Counterfactual, { status: "found" }>;
    assert.equal(found.size, 2, "no single actionable change is enough; two are");
    const best = found.options[0];
    assert.deepEqual(best.changes.map((c) => [c.feature, c.to]).sort(), [
      ["payment_method", "Bank transfer (automatic)"],
      ["tech_support", "Yes"],
    ]);
    assert.equal(best.cost, 70);
    for (const o of found.options) {
      assert.equal(o.changes.length, 2);
      assert.ok(o.probability < 0.5, `${o.probability}`);
      assert.equal(o.probability, handBuilt(o.row), "the promised probability is the model's score of the row");
    }
    // A three-change set cheaper than $70 cannot exist here (the cheapest single offers are $0, $10, $60…).
    assert.ok(found.cheaper.every((o) => o.changes.length === 3 && o.cost < 70));
    // Every smaller set fails: the answer is minimal.
    for (const set of changeSets(customer, 1)) assert.ok(handBuilt(applyChanges(customer, set)) >= 0.5);
  });

  it("never proposes a change to a feature outside the actionable list (gender, tenure, senior citizen…)", async () => {
    const result = await searchCounterfactual(customer, score, { threshold: 0.5 });
    assert.equal(result.status, "found");
    const allowed = new Set(ACTIONABLE);
    for (const set of changeSets(customer, 7))
      for (const c of set) assert.ok(allowed.has(c.feature), `${c.feature} is not actionable`);
    for (const o of (result as Extract<Counterfactual, { status: "found" }>).options) {
      for (const f of [
        "gender",
        "senior_citizen",
        "partner",
        "dependents",
        "tenure",
        "total_charges",
        "monthly_charges",
      ])
        assert.equal(o.row[f], customer[f], `${f} changed`);
      for (const c of o.changes) assert.ok(allowed.has(c.feature));
    }
    for (const f of ["gender", "senior_citizen", "partner", "dependents", "tenure", "internet_service", "streaming_tv"])
      assert.ok(!ACTIONABLE.includes(f), `${f} must not be actionable`);
  });

  it("a customer already below the threshold needs nothing; an unreachable one gets the best attempt", async () => {
    const low = await searchCounterfactual({ ...customer, tenure: 40 }, score, { threshold: 0.5 });
    assert.equal(low.status, "already-below");
    const none = await searchCounterfactual(customer, score, { threshold: 0.05 });
    assert.equal(none.status, "none");
    const best = (none as Extract<Counterfactual, { status: "none" }>).best!;
    assert.ok(best.probability >= 0.05);
    const all = changeSets(customer).map((set) => handBuilt(applyChanges(customer, set)));
    assert.equal(best.probability, Math.min(...all));
  });

  it("lists cheaper sets with one more change, never a superset of a smallest answer", async () => {
    // Two year alone does it ($120); automatic payment + tech support ($70) is cheaper with one more change.
    const model = (row: RawRow) => {
      let z = 0.5;
      if (row.contract === "Two year") z -= 1;
      if (String(row.payment_method).includes("automatic")) z -= 0.3;
      if (row.tech_support === "Yes") z -= 0.3;
      return sigmoid(z);
    };
    const found = (await searchCounterfactual(customer, (rows) => rows.map(model), { threshold: 0.5 })) as Extract<
      Counterfactual,
      { status: "found" }
    >;
    assert.equal(found.size, 1);
    assert.deepEqual(
      found.options.map((o) => o.changes.map((c) => c.to)),
      [["Two year"]],
    );
    assert.ok(found.cheaper.length >= 1);
    assert.deepEqual(found.cheaper[0].changes.map((c) => c.feature).sort(), ["payment_method", "tech_support"]);
    assert.equal(found.cheaper[0].cost, 70);
    for (const o of found.cheaper) assert.ok(!o.changes.some((c) => c.to === "Two year"));
  });

  it("ranks by cost to the company or by effect", async () => {
    const found = (await searchCounterfactual(customer, score, { threshold: 0.5 })) as Extract<
      Counterfactual,
      { status: "found" }
    >;
    const byEffect = rankOptions(found.options, "effect");
    for (let i = 1; i < byEffect.length; i++) assert.ok(byEffect[i - 1].probability <= byEffect[i].probability);
    for (let i = 1; i < found.options.length; i++) assert.ok(found.options[i - 1].cost <= found.options[i].cost);
  });

  it("offers add-ons only with internet service, longer contracts only, automatic payment only", () => {
    const noInternet = applyChanges(customer, []);
    noInternet.internet_service = "No";
    for (const a of ["online_security", "online_backup", "device_protection", "tech_support"])
      noInternet[a] = "No internet service";
    const features = availableChanges(noInternet).flat();
    assert.ok(!features.some((c) => c.feature === "tech_support"));
    const twoYear = availableChanges({ ...customer, contract: "Two year", payment_method: "Credit card (automatic)" });
    assert.ok(!twoYear.flat().some((c) => c.feature === "contract" || c.feature === "payment_method"));
    // online_backup is already "Yes": never taken away.
    assert.ok(
      !availableChanges(customer)
        .flat()
        .some((c) => c.feature === "online_backup"),
    );
  });

  it("rejects a bad threshold and a scorer that returns the wrong number of scores", async () => {
    await assert.rejects(searchCounterfactual(customer, score, { threshold: 1 }), /invalid threshold: 1/);
    await assert.rejects(
      searchCounterfactual(customer, () => [0.9], { threshold: 0.5 }),
      /returned 1 scores for/,
    );
  });
});
