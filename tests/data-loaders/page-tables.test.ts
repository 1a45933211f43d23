// The Telco analysis pages' own artifacts (data-loaders/telco/page-tables.ts) give exactly the figures the pages computed
// from the whole customers table: the statistics in telco/summary.json are the pages' functions over the published
// tables, and each narrow table is its declared columns of telco/customers.arrow, row for row (scripts/test.sh runs the
// pipeline before the unit tests).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { tableFromIPC, type Table } from "apache-arrow";
import { ARTIFACTS, schemaProblems, type TableArtifact } from "../../src/lib/artifacts.js";
import { campaignData, telcoValueModel } from "../../src/lib/campaign-data.js";
import { experimentRows, telcoPageSummaries } from "../../src/lib/telco-tables.js";
import { engagementColumns } from "../../src/telco/engagement.js";

const read = (artifact: { path: string }) => readFileSync(`src/data/${artifact.path}`);
const table = (artifact: TableArtifact) => tableFromIPC(read(artifact)) as Table;
const plain = (value: unknown) =>
  JSON.parse(JSON.stringify(value, (_, v) => (ArrayBuffer.isView(v) ? [...(v as never as number[])] : v)));

describe("the Telco pages' artifacts", () => {
  const customers = table(ARTIFACTS.telcoCustomers);
  const shap = table(ARTIFACTS.telcoShap);
  const narrow = [ARTIFACTS.telcoEngagement, ARTIFACTS.telcoExperiment, ARTIFACTS.telcoCampaign] as const;

  it("publishes the Personas and A/B statistics the pages computed from the whole tables", () => {
    const summary = JSON.parse(read(ARTIFACTS.telcoSummary).toString("utf8"));
    const expected = plain(telcoPageSummaries(customers, shap));
    for (const key of ["personaProfiles", "personaShap", "abArms", "abOverall"] as const)
      assert.deepEqual(summary[key], expected[key], key);
    assert.equal(summary.personaProfiles.length, 6);
    assert.deepEqual(
      summary.abArms.map((a: { variant: string }) => a.variant),
      ["A", "B"],
    );
  });

  for (const artifact of narrow) {
    it(`${artifact.path} is its declared columns of every customer, in the customers table's order`, () => {
      const t = table(artifact);
      const fields = t.schema.fields.map((f) => ({ name: f.name, type: String(f.type).toLowerCase() }));
      assert.deepEqual(schemaProblems(artifact, fields), []);
      assert.equal(t.numRows, customers.numRows);
      for (const [name] of artifact.columns)
        assert.deepEqual([...t.getChild(name)!.toArray()], [...customers.getChild(name)!.toArray()], name);
    });
  }

  it("gives the pages the same rows and columns as the whole table", () => {
    const experiment = table(ARTIFACTS.telcoExperiment);
    assert.deepEqual(experimentRows(experiment), experimentRows(customers));
    assert.deepEqual(plain(engagementColumns(table(ARTIFACTS.telcoEngagement))), plain(engagementColumns(customers)));
    const campaign = table(ARTIFACTS.telcoCampaign);
    const values = telcoValueModel(campaign).values();
    assert.deepEqual(values, telcoValueModel(customers).values());
    assert.deepEqual(campaignData(campaign, values, "churn"), campaignData(customers, values, "churn"));
  });
});
