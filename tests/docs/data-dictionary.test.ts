import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { DATA_DOC, renderDataDoc } from "../../scripts/docs-data.js";

describe("docs/data.md", () => {
  it("lists every column exactly as the column table defines it (run `npx tsx scripts/docs-data.ts` to update)", async () => {
    const text = readFileSync(DATA_DOC, "utf8");
    assert.equal(await renderDataDoc(text), text);
  });
});
