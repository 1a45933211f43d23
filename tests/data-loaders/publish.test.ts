import assert from "node:assert/strict";
import { existsSync, mkdtempSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { contentTime, Publication, refuseOut, writeStable } from "../../data-loaders/publish.js";
import { ARTIFACTS, MESSAGE_COLUMNS, schemaProblems, type MessageRow, type NudgeRow } from "../../src/lib/artifacts.js";

const temp = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));

const message = (id: string): MessageRow => ({
  id,
  text: "hello",
  source: "fallback",
  provider: "",
  model: "",
  prompt_hash: "h",
  prompt_version: "v",
  generated_at: "",
  reason: "no-provider",
  template: "t",
});

describe("writeStable", () => {
  it("gives equal bytes equal time stamps, on any machine, and leaves an unchanged file alone", async () => {
    const dir = temp("stable-");
    const bytes = new TextEncoder().encode("same bytes");
    assert.equal(await writeStable(join(dir, "a.bin"), bytes), true);
    assert.equal(await writeStable(join(dir, "b.bin"), bytes), true);
    const t = contentTime(bytes).getTime();
    assert.equal(statSync(join(dir, "a.bin")).mtimeMs, t);
    assert.equal(statSync(join(dir, "b.bin")).mtimeMs, t);
    utimesSync(join(dir, "a.bin"), new Date(), new Date()); // touched by someone else
    assert.equal(await writeStable(join(dir, "a.bin"), bytes), false, "same bytes: not rewritten");
    assert.equal(statSync(join(dir, "a.bin")).mtimeMs, t, "but the time stamp is restored");
    assert.notEqual(contentTime(new TextEncoder().encode("other bytes")).getTime(), t);
  });
});

describe("refuseOut", () => {
  it("accepts a missing or empty folder and an earlier pipeline output", async () => {
    assert.equal(await refuseOut(join(temp("out-"), "new")), null);
    assert.equal(await refuseOut(temp("out-")), null);
    const earlier = temp("out-");
    writeFileSync(join(earlier, "manifest.json"), JSON.stringify({ generator: "retention-lab pipeline" }));
    writeFileSync(join(earlier, "other"), "x");
    assert.equal(await refuseOut(earlier), null);
  });

  it("refuses any other non-empty folder (--out . would otherwise replace the checkout)", async () => {
    const checkout = temp("out-");
    writeFileSync(join(checkout, "README.md"), "mine");
    assert.match((await refuseOut(checkout))!, /is not empty and holds no pipeline manifest.*refusing/);
    const file = join(checkout, "README.md");
    assert.match((await refuseOut(file))!, /is not a folder/);
  });
});

describe("Publication", () => {
  it("names the artifact when a row does not fit its declared columns", () => {
    const pub = new Publication(temp("pub-"));
    const bad = { ...message("1"), facts: "[]", because: "", text: 3 } as unknown as NudgeRow;
    assert.throws(
      () => pub.table(ARTIFACTS.telcoNudges, [bad]),
      /^Error: telco\/nudges\.arrow: arrow column text, row 0/,
    );
    assert.throws(
      () => pub.json(ARTIFACTS.foodTruth, { intercept: 1 } as never),
      /food\/truth\.json: missing key "coefficients"/,
    );
  });

  it("refuses to commit when a declared artifact was not produced, and writes nothing", async () => {
    const out = join(temp("pub-"), "out");
    const pub = new Publication(out);
    pub.table(ARTIFACTS.telcoNudges, [{ ...message("1"), facts: "[]", because: "" }]);
    await assert.rejects(
      pub.commit({ seed: 1, telco: {} as never, food: {} as never, llm: "none" }),
      /was not produced/,
    );
    assert.ok(!existsSync(out));
  });

  it("streams a table to disk in any chunks with the bytes table() makes, and a discarded run leaves nothing", async () => {
    const rows = Array.from({ length: 70_000 }, (_, i) => message(`c${i}`));
    const whole = new Publication(temp("pub-"));
    whole.table(ARTIFACTS.foodOffers, rows);
    const out = join(temp("pub-"), "out");
    const streamed = new Publication(out);
    const table = await streamed.tableStream(ARTIFACTS.foodOffers);
    for (let i = 0; i < rows.length; i += 9_999) await table.write(rows.slice(i, i + 9_999));
    await table.close();
    const [a, b] = [await streamed.read("food/offers.arrow"), await whole.read("food/offers.arrow")];
    assert.equal(Buffer.compare(Buffer.from(a), Buffer.from(b)), 0, "the same bytes");
    assert.deepEqual(streamed.staged(), whole.staged());
    await streamed.discard();
    assert.ok(!existsSync(out), "nothing is left of a discarded run");
  });

  it("names the artifact and the row when a streamed row does not fit", async () => {
    const pub = new Publication(join(temp("pub-"), "out"));
    const table = await pub.tableStream(ARTIFACTS.foodOffers);
    const bad = { ...message("1"), text: 3 } as unknown as MessageRow;
    await table.write(Array.from({ length: 65_536 }, (_, i) => message(`c${i}`)));
    await table.write([message("x"), bad]); // checked when its record batch is made: here, at close
    await assert.rejects(table.close(), /food\/offers\.arrow: arrow column text, row 65537/);
    await pub.discard();
  });

  it("declares the message table's columns once, for both kinds of message (nudges add their facts)", () => {
    assert.deepEqual(ARTIFACTS.telcoNudges.columns.slice(0, MESSAGE_COLUMNS.length), MESSAGE_COLUMNS);
    assert.deepEqual(
      ARTIFACTS.telcoNudges.columns.slice(MESSAGE_COLUMNS.length).map(([name]) => name),
      ["facts", "because"],
    );
    assert.equal(ARTIFACTS.foodOffers.columns, MESSAGE_COLUMNS);
    const fields = MESSAGE_COLUMNS.map(([name, type]) => ({ name, type }));
    assert.deepEqual(schemaProblems(ARTIFACTS.foodOffers, fields), []);
    assert.deepEqual(schemaProblems(ARTIFACTS.foodOffers, fields.slice(1)), [
      "food/offers.arrow: column id is missing",
      ...MESSAGE_COLUMNS.slice(1).map(([name], i) => `food/offers.arrow: column ${name} is not at position ${i + 2}`),
    ]);
  });
});
