/**
 * Reproducible builds: the same commit and inputs give a byte-identical site. A second production build (the
 * models are cached, so it takes seconds plus Framework's build) into private folders is compared, file by file,
 * with the main build's dist/ and its CSP include: same names, same bytes. Content-hashed file names, the CSP hashes
 * and every page's `lastModified` of its attachments depend on this (data-loaders/publish.ts, "Time stamps").
 * Runs with the browser tests, after the main build. Alone: node --import tsx --test tests/browser/reproducible.test.ts
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, utimes } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { after, describe, it } from "node:test";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** path → sha256 of every file under `dir`. */
async function digests(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out.set(
      relative(dir, path),
      createHash("sha256")
        .update(await readFile(path))
        .digest("hex"),
    );
  }
  return out;
}

function differences(a: Map<string, string>, b: Map<string, string>): string[] {
  const names = [...new Set([...a.keys(), ...b.keys()])].sort();
  return names
    .filter((n) => a.get(n) !== b.get(n))
    .map((n) => (!a.has(n) ? `only in the second: ${n}` : !b.has(n) ? `only in the first: ${n}` : `differs: ${n}`));
}

describe("a second build of the same commit", { timeout: 10 * 60_000 }, () => {
  let tmp = "";
  after(async () => {
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it("is byte-identical to the first, even after the artifacts' time stamps were touched", async () => {
    assert.ok(existsSync(join(ROOT, "dist", "index.html")), "the main build (dist/) exists");
    tmp = await mkdtemp(join(tmpdir(), "retention-lab-rebuild-"));
    // A checkout, a copy or a backup changes time stamps; the build must not depend on them.
    const now = new Date();
    for (const entry of await readdir(join(ROOT, "src", "data"), { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) await utimes(join(entry.parentPath, entry.name), now, now);
    }
    const build = spawnSync("bash", ["scripts/build.sh", "--no-setup"], {
      cwd: ROOT,
      env: { ...process.env, OUTPUT_DIR: join(tmp, "dist"), NGINX_OUT: join(tmp, "nginx") },
      encoding: "utf8",
    });
    assert.equal(build.status, 0, build.stderr.slice(-3000));
    assert.match(build.stderr, /model stage reused/, "the second build did not train");
    const site = differences(await digests(join(ROOT, "dist")), await digests(join(tmp, "dist")));
    assert.deepEqual(site, [], "site files");
    const nginx = differences(await digests(join(ROOT, "build", "nginx")), await digests(join(tmp, "nginx")));
    assert.deepEqual(nginx, [], "CSP include");
  });
});
