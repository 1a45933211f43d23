/** scripts/csp.ts and scripts/precompress.ts: the post-build steps that feed nginx. */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { gunzipSync } from "node:zlib";
import {
  cspInclude,
  htlPlaceholderHashes,
  inlineScriptHashes,
  scriptHash,
  writeCspInclude,
} from "../../scripts/csp.js";
import { precompressSite } from "../../scripts/precompress.js";

describe("csp", () => {
  it("scriptHash(text) is the CSP sha256 source of the exact text", () => {
    // echo -n 'alert(1)' | openssl dgst -sha256 -binary | base64
    assert.equal(scriptHash("alert(1)"), "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='");
  });

  it("inlineScriptHashes(html) hashes inline classic and module scripts, whitespace included, not src scripts", () => {
    const html = `<script type="module">\nimport "./a.js";\n</script><script src="b.js"></script><SCRIPT>x()</SCRIPT >`;
    assert.deepEqual(inlineScriptHashes(html), [scriptHash(`\nimport "./a.js";\n`), scriptHash("x()")]);
  });

  it("inlineScriptHashes(html) refuses inline event handlers and javascript: URLs, but not markup inside scripts", () => {
    assert.throws(() => inlineScriptHashes(`<button onclick="go()">`, "p.html"), /p\.html: inline event handler/);
    assert.throws(() => inlineScriptHashes(`<a href="javascript:go()">`), /javascript: URL/);
    assert.deepEqual(inlineScriptHashes("<script>html`<button onclick=${f}>`</script>").length, 1);
  });

  it("htlPlaceholderHashes() covers htl's transient attribute texts ::0, ::1, …", () => {
    const hashes = htlPlaceholderHashes(3);
    assert.deepEqual(hashes, [scriptHash("::0"), scriptHash("::1"), scriptHash("::2")]);
  });

  it("cspInclude(hashes) defines both nginx map variables and rejects anything that is not a hash", () => {
    const text = cspInclude([scriptHash("a")], [scriptHash("::0")]);
    assert.match(text, /map \$host \$csp_script_hashes \{\n {4}default "'sha256-[^"]+'";\n\}/);
    assert.match(text, /map \$host \$csp_script_attr_hashes/);
    assert.throws(() => cspInclude([`'sha256-x'; script-src *`]), /invalid hash/);
  });

  it("writeCspInclude(dist, out) writes the sorted union of every page's hashes outside dist", async () => {
    const dir = await mkdtemp(join(tmpdir(), "csp-test-"));
    try {
      await mkdir(join(dir, "dist", "telco"), { recursive: true });
      await writeFile(join(dir, "dist", "index.html"), "<script>a()</script><script>shared()</script>");
      await writeFile(join(dir, "dist", "telco", "customer.html"), "<script>b()</script><script>shared()</script>");
      const { path, count } = await writeCspInclude(join(dir, "dist"), join(dir, "build", "nginx"));
      assert.equal(path, join(dir, "build", "nginx", "csp-hashes.conf"));
      assert.equal(count, 3);
      const expected = [scriptHash("a()"), scriptHash("b()"), scriptHash("shared()")].sort().join(" ");
      assert.ok((await readFile(path, "utf8")).includes(`default "${expected}";`));
      await assert.rejects(writeCspInclude(join(dir, "build"), join(dir, "x")), /no \.html files/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("precompress", () => {
  it("precompressSite(dist) writes .gz beside large compressible assets only, with the same mtime", async () => {
    const dir = await mkdtemp(join(tmpdir(), "gz-test-"));
    try {
      const big = "export const x = 1;\n".repeat(500);
      await writeFile(join(dir, "app.js"), big);
      await writeFile(join(dir, "tiny.js"), "x");
      await writeFile(join(dir, "data.csv"), big); // read with Range by DuckDB: never precompressed
      await writeFile(join(dir, "metrics.json"), big); // fetched whole by the pages: precompressed
      await writeFile(join(dir, "noise.wasm"), randomBytes(4096)); // incompressible: no .gz
      const { files } = await precompressSite(dir);
      assert.equal(files, 2);
      assert.equal(gunzipSync(await readFile(join(dir, "app.js.gz"))).toString(), big);
      assert.equal(gunzipSync(await readFile(join(dir, "metrics.json.gz"))).toString(), big);
      // nginx's Last-Modified and ETag use whole seconds.
      const seconds = async (f: string) => Math.floor((await stat(join(dir, f))).mtimeMs / 1000);
      assert.equal(await seconds("app.js.gz"), await seconds("app.js"));
      for (const f of ["tiny.js.gz", "data.csv.gz", "noise.wasm.gz"]) await assert.rejects(stat(join(dir, f)), f);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
