import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { DATA_DIR, loadCardInputs, MODEL_CARD, renderModelCard } from "../../scripts/model-card.js";

// The card quotes the artifacts of `npm run pipeline` (scripts/test.sh runs it before the unit tests).
describe("docs/model-card.md", () => {
  const text = readFileSync(MODEL_CARD, "utf8");
  const inputs = loadCardInputs();

  it("quotes the artifacts' figures exactly (run `npm run docs` to update)", async () => {
    assert.equal(await renderModelCard(text, inputs), text);
  });

  it("changes when an artifact's figure drifts: a CV AUC 0.0001 higher is caught", async () => {
    const drifted = structuredClone(inputs);
    drifted.telco.cv.xgboost.perFold.platt.rocAuc.mean += 0.0001;
    const card = await renderModelCard(text, drifted);
    assert.notEqual(card, text);
    const auc = inputs.telco.cv.xgboost.perFold.platt.rocAuc.mean;
    assert.ok(card.includes(`(${(auc + 0.0001).toFixed(4)})`), "the target line quotes the new AUC");
  });

  it("quotes the headline figures the pages show", () => {
    const m = inputs.telco;
    for (const figure of [
      m.cv.xgboost.perFold.platt.rocAuc.mean,
      m.cv.xgboost.perFold.platt.brier.mean,
      m.cv.xgboost.pooled.platt.summary.ece.mean,
      m.cv.logistic.perFold.platt.rocAuc.mean,
      m.cv.logisticRaw.perFold.platt.rocAuc.mean,
      m.cv.blend.perFold.rocAuc.mean,
      inputs.food.test.calibrated.rocAuc,
    ])
      assert.ok(text.includes(figure.toFixed(4)), `${figure.toFixed(4)} is in the card`);
    assert.ok(text.includes(`${inputs.food.model.rounds} rounds`), "the food model's rounds");
  });

  it("refuses a missing marker, naming it", async () => {
    await assert.rejects(renderModelCard(text.replace("<!-- card:shap -->", ""), inputs), /card:shap/);
  });
});

describe("loadCardInputs", () => {
  const dir = mkdtempSync(join(tmpdir(), "model-card-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("names the missing artifact and the command that makes it", () => {
    assert.throws(() => loadCardInputs(dir), /telco\/metrics\.json is missing: run `npm run pipeline`/);
  });
  it("refuses artifacts of a non-default build (the card describes seed 42, 20,000 food rows, 3 CV repeats)", () => {
    for (const name of ["telco", "food"]) {
      mkdirSync(join(dir, name), { recursive: true });
      const m = JSON.parse(readFileSync(join(DATA_DIR, name, "metrics.json"), "utf8"));
      if (name === "food") m.rows = 5000;
      writeFileSync(join(dir, name, "metrics.json"), JSON.stringify(m));
    }
    assert.throws(() => loadCardInputs(dir), /FOOD_N 5000.*default build/);
  });
});
