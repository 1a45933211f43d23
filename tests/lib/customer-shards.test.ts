/** src/lib/customer-shards.ts and the sharded customer detail's declaration in src/lib/artifacts.ts. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import {
  ARTIFACTS,
  CUSTOMER_INDEX_COLUMNS,
  TELCO_DETAIL_SHARDS,
  artifactPaths,
  shardArtifact,
} from "../../src/lib/artifacts.js";
import { fnv1a, shardFile, shardOf } from "../../src/lib/customer-shards.js";

describe("customer shards", () => {
  it("fnv1a is 32-bit FNV-1a (the published test vectors)", () => {
    assert.equal(fnv1a(""), 0x811c9dc5);
    assert.equal(fnv1a("a"), 0xe40c292c);
    assert.equal(fnv1a("foobar"), 0xbf9cf968);
  });

  it("shardOf gives every ID a shard in range, the same one every time; shardFile names it in order", () => {
    const ids = ["7590-VHVEG", "5575-GNVDE", "3668-QPYBK", "2923-ARZLG"];
    for (const id of ids) {
      const s = shardOf(id, TELCO_DETAIL_SHARDS);
      assert.ok(Number.isInteger(s) && s >= 0 && s < TELCO_DETAIL_SHARDS, `${id} → ${s}`);
      assert.equal(shardOf(id, TELCO_DETAIL_SHARDS), s);
    }
    // Pinned: a change of the hash would send customers to files the build did not put them in.
    assert.equal(shardOf("7590-VHVEG", 64), fnv1a("7590-VHVEG") % 64);
    assert.deepEqual(
      [shardFile(0), shardFile(7), shardFile(63), shardFile(100)],
      ["00.arrow", "07.arrow", "63.arrow", "100.arrow"],
    );
    assert.throws(() => shardOf("x", 0), /invalid number of shards: 0/);
    assert.throws(() => shardOf("x", 2.5), /invalid number of shards: 2.5/);
  });

  it("the declared shards: one file each, declared as a table of the detail's columns", () => {
    const detail = ARTIFACTS.telcoCustomerDetail;
    const paths = artifactPaths(detail);
    assert.equal(paths.length, TELCO_DETAIL_SHARDS);
    assert.equal(paths[0], "telco/customer-detail/00.arrow");
    assert.equal(new Set(paths).size, paths.length);
    const one = shardArtifact(detail, 5);
    assert.deepEqual(one, {
      kind: "arrow",
      path: "telco/customer-detail/05.arrow",
      columns: detail.columns,
      perFeature: "float64",
      description: detail.description,
    });
    assert.throws(() => shardArtifact(detail, TELCO_DETAIL_SHARDS), /telco\/customer-detail: no shard 64 \(0 to 63\)/);
    assert.deepEqual(artifactPaths(ARTIFACTS.telcoCustomers), ["telco/customers.arrow"]);
  });

  it("the page attaches every shard by its literal path, in shard order (src/lib/customer-detail-files.ts)", () => {
    const source = readFileSync("src/lib/customer-detail-files.ts", "utf8");
    const attached = [...source.matchAll(/FileAttachment\("\.\.\/data\/([^"]+)"\)/g)].map((m) => m[1]);
    assert.deepEqual(attached, artifactPaths(ARTIFACTS.telcoCustomerDetail));
  });

  it("the index's columns are the customers table's, with the same types; the detail holds the whole row", () => {
    const customers = new Map<string, string>(ARTIFACTS.telcoCustomers.columns.map(([n, t]) => [n, t]));
    for (const [name, type] of CUSTOMER_INDEX_COLUMNS) assert.equal(customers.get(name), type, name);
    const detail = ARTIFACTS.telcoCustomerDetail.columns;
    assert.deepEqual(detail.slice(0, customers.size), ARTIFACTS.telcoCustomers.columns);
    // Nudge columns are prefixed, so none can clash with a customer column (or the SHAP columns, shap_…).
    const rest: string[] = detail.slice(customers.size).map(([name]) => name);
    assert.deepEqual(rest[0], "remaining_months");
    for (const name of rest.slice(1)) assert.match(name, /^nudge_/);
    assert.ok(!rest.includes("nudge_id"), "the ID is not repeated");
    for (const [name] of detail) assert.ok(!name.startsWith("shap_"), name);
  });
});
