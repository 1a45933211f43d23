import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { csvField, recordsToCsv, toCsv } from "../../src/lib/csv.js";

describe("CSV", () => {
  it("toCsv writes a header row and escapes fields", () => {
    const csv = toCsv(
      [
        { id: "A1", text: 'Say "hi", friend', p: 0.5 },
        { id: "B2", text: "=HYPERLINK(1)", p: -2 },
      ],
      [
        { header: "id", value: (d) => d.id },
        { header: "text", value: (d) => d.text },
        { header: "p", value: (d) => d.p },
      ],
    );
    assert.equal(csv, 'id,text,p\r\nA1,"Say ""hi"", friend",0.5\r\nB2,\'=HYPERLINK(1),-2\r\n');
  });

  it("csvField leaves numbers alone, empties missing values and defuses formulas", () => {
    assert.deepEqual([csvField(-1.5), csvField(null), csvField(NaN), csvField("a\nb")], ["-1.5", "", "", '"a\nb"']);
    assert.deepEqual([csvField("+1"), csvField("@x"), csvField("-x")], ["'+1", "'@x", "'-x"]);
  });

  it("defuses formulas hidden behind a semicolon, leading spaces, a tab, a CR or a non-string value", () => {
    // A semicolon-locale spreadsheet splits an unquoted ";=cmd|…" into an empty cell and a formula.
    assert.equal(csvField(";=cmd|' /C calc'!A0"), `";=cmd|' /C calc'!A0"`);
    assert.equal(csvField("a\t=1"), '"a\t=1"');
    assert.equal(csvField("  =1+1"), "'  =1+1");
    assert.equal(csvField("\t=1"), `"'\t=1"`);
    assert.equal(csvField("\r=1"), `"'\r=1"`);
    assert.equal(csvField({ toString: () => "=HYPERLINK(1)" }), "'=HYPERLINK(1)");
    assert.equal(
      toCsv([{ note: ";=cmd|' /C calc'!A0" }], [{ header: "note", value: (d) => d.note }]),
      `note\r\n";=cmd|' /C calc'!A0"\r\n`,
    );
  });

  it("keeps negative numbers as numbers, written as numbers or as plain decimal text", () => {
    assert.deepEqual(
      [csvField(-2), csvField("-2"), csvField("-0.75"), csvField("-1e-3"), csvField(-3n)],
      ["-2", "-2", "-0.75", "-1e-3", "-3"],
    );
    assert.deepEqual([csvField("-2+3"), csvField("-1,5")], ["'-2+3", `"'-1,5"`]);
  });

  it("recordsToCsv takes the columns from the first record, or the list given", () => {
    const rows = [
      { b: 1, a: "x", when: new Date(Date.UTC(2026, 0, 2)), tags: ["p", "q"], n: 3n },
      { b: 2, a: "y,z", when: null, tags: [], n: 4n },
    ];
    assert.equal(recordsToCsv(rows), 'b,a,when,tags,n\r\n1,x,2026-01-02T00:00:00.000Z,"p; q",3\r\n2,"y,z",,,4\r\n');
    assert.equal(recordsToCsv(rows, ["a"]), 'a\r\nx\r\n"y,z"\r\n');
    assert.equal(recordsToCsv([], ["a", "b"]), "a,b\r\n");
  });

  it("recordsToCsv refuses to write a document without columns", () => {
    assert.throws(() => recordsToCsv([]), /no columns/);
  });
});
