import assert from "node:assert/strict";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { writeFileAtomic, writeStreamAtomic } from "../../data-loaders/util/atomic-write.js";
import { sha256Hex } from "../../data-loaders/util/hash.js";
import { streamSeed } from "../../data-loaders/util/seed.js";
import { tempDir } from "./helpers.js";

describe("util", () => {
  it("sha256Hex gives the known digest of 'abc' for text and bytes", () => {
    const abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    assert.equal(sha256Hex("abc"), abc);
    assert.equal(sha256Hex(new TextEncoder().encode("abc")), abc);
  });

  it("writeFileAtomic creates the directory, replaces the file and leaves no temporary file", async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const path = join(dir, "a/b/out.txt");
      await writeFileAtomic(path, "one");
      await writeFileAtomic(path, new TextEncoder().encode("two"));
      assert.equal(await readFile(path, "utf8"), "two");
      assert.deepEqual(await readdir(join(dir, "a/b")), ["out.txt"]);
    } finally {
      await cleanup();
    }
  });

  it("a failed atomic write keeps the old file and removes the half-written one", async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const path = join(dir, "out.txt");
      await writeFileAtomic(path, "old");
      await assert.rejects(
        writeStreamAtomic(path, async (temp) => {
          await writeFile(temp, "half");
          throw new Error("disk full");
        }),
        { message: "disk full" },
      );
      assert.equal(await readFile(path, "utf8"), "old");
      assert.deepEqual(await readdir(dir), ["out.txt"]);
    } finally {
      await cleanup();
    }
  });

  it("streamSeed gives stable, distinct positive seeds per name", () => {
    assert.equal(streamSeed(42, "usage"), streamSeed(42, "usage"));
    assert.notEqual(streamSeed(42, "usage"), streamSeed(43, "usage"));
    assert.notEqual(streamSeed(42, "usage"), streamSeed(42, "support"));
    assert.ok(streamSeed(0, "") >= 1 && streamSeed(0, "") < 2 ** 31);
  });
});
