/**
 * No credential reaches the built site. A real production build with a key and a keyed base URL configured
 * (scripts/build.sh: the pipeline, Framework's build and the post-build step) against the fake chat-completions
 * server (tests/llm/fake-server.ts), with unique canaries, into private folders: its own output dir (OUTPUT_DIR), its
 * own LLM cache (LLM_CACHE_DIR). Then the canaries are searched, binary-safe and in their encoded forms, in every file
 * the build wrote. Small options (FOOD_N, CV_REPEATS) keep it to a couple of minutes.
 *
 * Runs with the browser tests (after the main build, one file at a time). The build publishes its artifacts into
 * src/data/ as every build does; they are scanned too, then the main build's artifacts are published back (the
 * models are cached, so that takes seconds). The main dist/ and the committed llm-cache/ are left alone (checked).
 * Run alone:
 *   node --import tsx --test tests/browser/no-key-in-dist.test.ts
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { after, before, describe, it } from "node:test";
import { tableFromIPC } from "apache-arrow";
import { DEFAULTS } from "../../data-loaders/llm/index.js";
import { defaultContent, startFakeServer, type FakeServer } from "../llm/fake-server.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const BIN = join(ROOT, "node_modules", ".bin");
const MODEL_CACHE = join(ROOT, ".cache", "models");
const ARTIFACTS_DIR = join(ROOT, "src", "data");
const MODEL = "canary-model";
const FOOD_N = 2000;

/** A key no real file can contain by chance; `secret` is its random part, searched on its own too. */
const secret = randomBytes(16).toString("hex");
const canary = `sk-canary-${secret}`;
/** A second credential, in the base URL's query string (as gateways take keys: `?api-key=…`). */
const querySecret = randomBytes(16).toString("hex");
const queryCanary = `qk-canary-${querySecret}`;

/**
 * What a leak could look like, for each credential: as is, its random part (case-insensitively: plain and upper
 * case), URL- and JSON-encoded, in hex, in UTF-16, and in base64/base64url at each of the three alignments a
 * substring can have inside a longer base64 text (for each, the whole groups only, which do not depend on the
 * neighbouring bytes).
 */
function leakForms(label: string, whole: string, random: string): Map<string, Buffer> {
  const forms = new Map<string, Buffer>();
  for (const s of [whole, random]) {
    forms.set(`${label}: raw ${s === whole ? "value" : "random part"}`, Buffer.from(s));
    forms.set(`${label}: upper case ${s === whole ? "value" : "random part"}`, Buffer.from(s.toUpperCase()));
  }
  forms.set(`${label}: URL-encoded`, Buffer.from(encodeURIComponent(whole)));
  forms.set(`${label}: form-encoded`, Buffer.from(new URLSearchParams({ k: whole }).toString().slice(2)));
  forms.set(`${label}: JSON-encoded`, Buffer.from(JSON.stringify(whole).slice(1, -1)));
  forms.set(`${label}: hex`, Buffer.from(Buffer.from(random).toString("hex")));
  forms.set(`${label}: UTF-16LE`, Buffer.from(random, "utf16le"));
  forms.set(`${label}: UTF-16BE`, Buffer.from(random, "utf16le").swap16());
  for (let k = 0; k < 3; k++) {
    const aligned = Buffer.from(whole).subarray(k, k + 3 * Math.floor((whole.length - k) / 3));
    forms.set(`${label}: base64 (offset ${k})`, Buffer.from(aligned.toString("base64")));
    forms.set(`${label}: base64url (offset ${k})`, Buffer.from(aligned.toString("base64url")));
  }
  return forms;
}
const FORMS = new Map([
  ...leakForms("API key", canary, secret),
  ...leakForms("base URL query value", queryCanary, querySecret),
]);

/** Every leak form found in `bytes`, and in its decompressed content if it is a gzip file. */
function leaksIn(bytes: Buffer, name: string): string[] {
  const found = [...FORMS].filter(([, form]) => bytes.includes(form)).map(([label]) => `${name}: ${label}`);
  if (name.endsWith(".gz")) found.push(...leaksIn(gunzipSync(bytes), name.slice(0, -3) + " (gunzipped .gz)"));
  return found;
}

/** Every regular file under `dir`, symlinks followed (the pipeline files a run under a second key as a symlink). */
async function filesUnder(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  if (!(await stat(dir)).isDirectory()) return [dir];
  const out: string[] = [];
  for (const entry of (await readdir(dir)).sort()) out.push(...(await filesUnder(join(dir, entry))));
  return out;
}

async function scan(dirs: string[]): Promise<{ files: number; bytes: number; leaks: string[] }> {
  const result = { files: 0, bytes: 0, leaks: [] as string[] };
  for (const dir of dirs) {
    for (const file of await filesUnder(dir)) {
      const bytes = await readFile(file);
      result.files++;
      result.bytes += bytes.length;
      result.leaks.push(...leaksIn(bytes, file.startsWith(ROOT) ? relative(ROOT, file) : file));
    }
  }
  return result;
}

/** Name → size and mtime of every file under `dir`: to show a folder was not touched. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const file of await filesUnder(dir)) {
    const s = await stat(file);
    out[relative(dir, file)] = `${s.size} ${s.mtimeMs}`;
  }
  return out;
}

interface Step {
  name: string;
  seconds: number;
  output: string;
}

/** Run one build step from the repository root; its stdout and stderr are kept (scanned for the key too). */
function run(name: string, command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Step> {
  const started = performance.now();
  return new Promise((resolveStep, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      if (code === 0) resolveStep({ name, seconds: (performance.now() - started) / 1000, output });
      else reject(new Error(`${name} failed (${code ?? signal}):\n${output.slice(-4000)}`));
    });
  });
}

/** The environment of the private build: the repository's own (scripts/env.sh) plus a key, small options and
 * private folders. Provider keys inherited from the shell are dropped so the canary is the only key in play. */
function buildEnv(server: FakeServer, dirs: { out: string; llmCache: string }): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) {
    if (/^(LLM_|TOGETHER_|HF_|HUGGING|OPENAI_)/.test(name)) delete env[name];
  }
  return {
    ...env,
    // The build runs tsx and Framework from PATH, as under npx.
    PATH: `${BIN}:${env.PATH ?? ""}`,
    OBSERVABLE_TELEMETRY_DISABLE: "true",
    FOOD_N: String(FOOD_N),
    CV_REPEATS: "1",
    LLM_PROVIDER: "openai-compatible",
    LLM_BASE_URL: `${server.baseURL}?api-key=${queryCanary}`,
    LLM_MODEL: MODEL,
    LLM_API_KEY: canary,
    LLM_CACHE_DIR: dirs.llmCache,
    OUTPUT_DIR: dirs.out,
  };
}

/** The model stage's cache folders (the keyed build's small models land here too). */
async function modelRuns(): Promise<Set<string>> {
  return new Set(existsSync(MODEL_CACHE) ? await readdir(MODEL_CACHE) : []);
}

/** The one file of the built site matching `pattern` (Framework adds a content hash to the name). */
async function builtFile(dist: string, folder: string, pattern: RegExp): Promise<string> {
  const names = (await readdir(join(dist, folder))).filter((name) => pattern.test(name));
  assert.equal(names.length, 1, `one ${pattern} in ${folder}: ${names.join(", ")}`);
  return join(dist, folder, names[0]);
}

async function messages(file: string): Promise<Record<string, string>[]> {
  return tableFromIPC(await readFile(file))
    .toArray()
    .map((row) => row.toJSON());
}

describe("a production build with an API key and a keyed base URL configured", { timeout: 15 * 60_000 }, () => {
  let server: FakeServer;
  let tmp: string;
  let out: string;
  let llmCache: string;
  let nginxOut: string;
  const steps: Step[] = [];
  let newModels: string[] = [];
  let committedCacheBefore: Record<string, string>;
  let mainDistBefore: Record<string, string>;

  before(async () => {
    server = await startFakeServer({ type: "success" });
    tmp = await mkdtemp(join(tmpdir(), "retention-lab-keyed-build-"));
    [out, llmCache, nginxOut] = [join(tmp, "dist"), join(tmp, "llm-cache"), join(tmp, "nginx")];
    committedCacheBefore = await snapshot(join(ROOT, "llm-cache"));
    mainDistBefore = await snapshot(join(ROOT, "dist"));
    const env = buildEnv(server, { out, llmCache });
    const modelsBefore = await modelRuns();
    // The production build script itself, into the private folders (it clears Framework's loader cache first,
    // else Framework would serve the main build's loader outputs).
    steps.push(
      await run("scripts/build.sh", "bash", ["scripts/build.sh", "--no-setup"], { ...env, NGINX_OUT: nginxOut }),
    );
    newModels = [...(await modelRuns())].filter((d) => !modelsBefore.has(d)).map((d) => join(MODEL_CACHE, d));
    const total = steps.reduce((s, step) => s + step.seconds, 0);
    process.stderr.write(
      `keyed build: ${steps.map((s) => `${s.name} ${s.seconds.toFixed(1)} s`).join(", ")}; total ${total.toFixed(1)} s\n`,
    );
  });

  after(async () => {
    await server?.close();
    // src/data/ now holds this build's artifacts: publish the main build's back (its models are cached).
    // As scripts/build.sh runs it (scripts/env.sh finds the Telco CSV the same way).
    const restore = "source scripts/env.sh && exec npx tsx scripts/pipeline.ts";
    await run("restore src/data", "bash", ["-c", restore], {
      ...process.env,
      PATH: `${BIN}:${process.env.PATH ?? ""}`,
    });
    for (const dir of newModels) await rm(dir, { recursive: true, force: true });
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it("used the key: the server saw it in the Authorization header, and its answers reached the site", async () => {
    assert.ok(server.hits.length > 0, "the build called the LLM");
    for (const hit of server.hits) {
      assert.equal(hit.headers.authorization, `Bearer ${canary}`);
      assert.equal(hit.query["api-key"], queryCanary, "the base URL's query reached the server");
    }
    const nudges = await messages(await builtFile(out, "_file/data/telco", /^nudges\.[0-9a-f]{8}\.arrow$/));
    // The site serves the food offers as the targeting list's part (every customer's text and source) and, with their
    // provenance, for the customers the Retention page can list (src/lib/campaign-cells.ts).
    const list = await messages(await builtFile(out, "_file/data/food", /^list-1\.[0-9a-f]{8}\.arrow$/));
    assert.equal(list.length, FOOD_N);
    const kept = [
      ...(await messages(await builtFile(out, "_file/data/food", /^campaign-rows\.[0-9a-f]{8}\.arrow$/))),
      ...(await messages(await builtFile(out, "_file/data/food", /^campaign-rows-more\.[0-9a-f]{8}\.arrow$/))),
    ];
    const modelOf = new Map(kept.map((r) => [r.customer_id, r.model]));
    // the provenance's model is in the site for the kept customers only: checked there (and some LLM offers are kept)
    const offers: Record<string, string>[] = list.map((r) => ({
      ...r,
      id: r.customer_id,
      model: modelOf.get(r.customer_id) ?? "", // "" = not in the site for this customer
    }));
    assert.ok(
      offers.some((r) => r.source === "llm" && r.model !== ""),
      "a kept customer's offer is the LLM's",
    );
    const answers = new Set(server.hits.map(defaultContent));
    for (const [kind, rows] of [
      ["nudges", nudges],
      ["offers", offers],
    ] as const) {
      const llm = rows.filter((r) => r.source === "llm");
      // Provenance "llm" means written by this build's calls: a second pipeline run would show them as "cache".
      assert.equal(llm.length, DEFAULTS.budget, `${kind}: the top ${DEFAULTS.budget} written by the LLM in this build`);
      for (const r of llm) {
        if (r.model !== "") assert.equal(r.model, MODEL);
        assert.ok(answers.has(r.text), `${kind}: ${r.id}'s text is the server's answer: ${r.text}`);
      }
    }
    assert.equal(server.hits.length, 2 * DEFAULTS.budget, "one call per LLM message: the pipeline ran once");
    const manifest = JSON.parse(await readFile(await builtFile(out, "_file/data", /^manifest\..*\.json$/), "utf8"));
    assert.equal(manifest.llm, `openai-compatible|${server.baseURL}?api-key=…|${MODEL}`);
    assert.equal(manifest.telco.nudges.llm, DEFAULTS.budget);
  });

  it("the key is in no file of the built site, gzipped copies included", async () => {
    const { files, bytes, leaks } = await scan([out, nginxOut]);
    assert.ok(files > 50 && bytes > 10e6, `scanned ${files} files, ${bytes} bytes`);
    assert.deepEqual(leaks, []);
  });

  it("nor in the LLM cache it wrote, the published artifacts, the model cache or the build's output", async () => {
    const cacheFiles = (await readdir(llmCache)).sort();
    assert.deepEqual(cacheFiles, ["nudge.jsonl", "offer.jsonl"]);
    const lines = (await readFile(join(llmCache, "nudge.jsonl"), "utf8")).trimEnd().split("\n");
    // One entry per distinct prompt: customers with identical facts share one.
    assert.ok(
      lines.length > 0 && lines.length <= DEFAULTS.budget,
      `the cache holds this build's answers: ${lines.length}`,
    );
    const { leaks } = await scan([llmCache, ARTIFACTS_DIR, ...newModels]);
    assert.deepEqual(leaks, []);
    for (const step of steps) assert.deepEqual(leaksIn(Buffer.from(step.output), `${step.name} output`), []);
  });

  it("left the committed llm-cache/ and the main dist/ alone", async () => {
    assert.deepEqual(await snapshot(join(ROOT, "llm-cache")), committedCacheBefore);
    assert.deepEqual(await snapshot(join(ROOT, "dist")), mainDistBefore);
  });
});
