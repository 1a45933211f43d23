/**
 * Build times, as a developer meets them (a benchmark: numbers, never pass/fail):
 *   1. a cold build (no trained model cached: a private, empty MODEL_CACHE_DIR),
 *   2. a rebuild with nothing changed,
 *   3–5. a rebuild after editing a page, a component and a display label (each edit undone afterwards),
 * each into private output folders; the log says whether the pipeline trained or reused the models.
 *
 *   npx tsx scripts/bench-build.ts            (about 5 minutes on 2 cores)
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const tmp = mkdtempSync(join(tmpdir(), "retention-lab-bench-build-"));
const env = {
  ...process.env,
  MODEL_CACHE_DIR: join(tmp, "models"),
  OUTPUT_DIR: join(tmp, "dist"),
  NGINX_OUT: join(tmp, "nginx"),
};

interface Step {
  name: string;
  seconds: number;
  pipeline: string;
}

function build(name: string): Step {
  const started = performance.now();
  const run = spawnSync("bash", ["scripts/build.sh", "--no-setup"], { cwd: ROOT, env, encoding: "utf8" });
  const seconds = (performance.now() - started) / 1000;
  if (run.status !== 0) throw new Error(`${name}: build failed\n${run.stderr.slice(-2000)}`);
  const trained = (run.stderr.match(/: training \(model key/g) ?? []).length;
  const reused = (run.stderr.match(/model stage reused/g) ?? []).length;
  const pipeline = `${trained} model(s) trained, ${reused} reused`;
  process.stderr.write(`${name}: ${seconds.toFixed(1)} s (${pipeline})\n`);
  return { name, seconds, pipeline };
}

/** Builds once with `file` edited by `edit`, then restores the file byte for byte. */
function withEdit(name: string, file: string, edit: (text: string) => string): Step {
  const path = join(ROOT, file);
  const original = readFileSync(path, "utf8");
  const edited = edit(original);
  if (edited === original) throw new Error(`${name}: the edit changed nothing in ${file}`);
  writeFileSync(path, edited);
  try {
    return build(name);
  } finally {
    writeFileSync(path, original);
  }
}

try {
  const steps = [
    build("cold build (no cached models)"),
    build("rebuild, nothing changed"),
    withEdit("rebuild after a page edit", "src/index.md", (t) => `${t}\nEdited by the build benchmark.\n`),
    withEdit(
      "rebuild after a component edit",
      "src/components/rate-bars.ts",
      (t) => `${t}\n// edited by the build benchmark\n`,
    ),
    withEdit("rebuild after a label edit", "src/lib/columns.ts", (t) =>
      t.replace('label: "Monthly charges"', 'label: "Monthly bill"'),
    ),
  ];
  const cold = steps[0].seconds;
  process.stdout.write("\n| build | seconds | share of the cold build | pipeline |\n| --- | --- | --- | --- |\n");
  for (const s of steps) {
    process.stdout.write(
      `| ${s.name} | ${s.seconds.toFixed(1)} | ${((100 * s.seconds) / cold).toFixed(0)}% | ${s.pipeline} |\n`,
    );
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
