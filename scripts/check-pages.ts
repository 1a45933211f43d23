/**
 * Type check and lint of the JavaScript inside the pages (src/**\/*.md), which tsc and Biome cannot read in
 * Markdown. Each page's ```js cells become one module under .cache/pages/ (mirroring src/), in an order where every
 * cell comes after the cells it reads (Framework's own parser finds what each cell declares and references), and
 * each top-level declaration's value is typed as other cells see it: a promise's value, a generator's yield
 * (`__cell` in types/pages/framework-globals.d.ts). Framework's
 * globals (FileAttachment, Inputs, Plot, d3, html, resize, …) are declared in types/framework-page-globals.d.ts.
 * Then `tsc -p tsconfig.pages.json` and `biome lint` run on those modules, and every finding is reported at the
 * page's own line: `src/food/retention.md:57: …`. Inline ${…} expressions in the prose are not checked.
 *
 *   npx tsx scripts/check-pages.ts            exits 1 on any type error or lint finding
 */
import { spawnSync } from "node:child_process";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
// Framework's parser (not a public export, pinned with the package): declarations and references of a cell.
import { parseJavaScript } from "@observablehq/framework/dist/javascript/parse.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const OUT = join(ROOT, ".cache", "pages");

interface Cell {
  code: string;
  /** 1-based line in the page of the cell's first code line */
  line: number;
  declares: string[];
  references: string[];
  /** [offset, text] insertions that type each top-level declaration's value as other cells see it */
  inserts: [number, string][];
  expression: boolean;
}

interface Node {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

/** The ```js cells of a page, with their first line. */
export function cellsOf(markdown: string): { code: string; line: number }[] {
  const cells: { code: string; line: number }[] = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = /^(```+)\s*js(\s|$)/.exec(lines[i]);
    if (!open) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !lines[end].startsWith(open[1])) end++;
    cells.push({ code: lines.slice(start, end).join("\n"), line: start + 1 });
    i = end;
  }
  return cells;
}

function parseCell(code: string, line: number, path: string): Cell {
  const parsed = parseJavaScript(code, { path }) as {
    body: Node & { body?: Node[] };
    declarations: { name: string }[] | null;
    references: { name: string }[];
    expression: boolean;
  };
  const inserts: [number, string][] = [];
  if (!parsed.expression) {
    for (const statement of parsed.body.body ?? []) {
      if (statement.type !== "VariableDeclaration") continue;
      for (const d of statement.declarations as (Node & { init: Node | null })[]) {
        if (d.init) inserts.push([d.init.start, "__cell("], [d.init.end, ")"]);
      }
    }
  }
  return {
    code,
    line,
    declares: (parsed.declarations ?? []).map((d) => d.name),
    references: [...new Set(parsed.references.map((r) => r.name))],
    inserts,
    expression: parsed.expression,
  };
}

/** Cells in an order where each follows the cells declaring what it references (stable: source order otherwise). */
function ordered(cells: Cell[]): Cell[] {
  const declaredBy = new Map<string, number>();
  cells.forEach((c, i) => {
    for (const name of c.declares) declaredBy.set(name, i);
  });
  const done = new Set<number>();
  const out: Cell[] = [];
  const visit = (i: number, path: Set<number>) => {
    if (done.has(i) || path.has(i)) return; // a cycle is Framework's error to report
    path.add(i);
    for (const name of cells[i].references) {
      const j = declaredBy.get(name);
      if (j !== undefined && j !== i) visit(j, path);
    }
    done.add(i);
    out.push(cells[i]);
  };
  cells.forEach((_, i) => {
    visit(i, new Set());
  });
  return out;
}

/** Rewrites a page's relative import to the generated module's location; npm: and observablehq: stay. */
function rewriteImports(code: string, page: string, target: string): string {
  return code.replace(/(from\s+|import\s*\(\s*)(["'])(\.{1,2}\/[^"']+)\2/g, (_, head, quote, spec) => {
    const absolute = resolve(dirname(page), spec);
    let rel = relative(dirname(target), absolute);
    if (!rel.startsWith(".")) rel = `./${rel}`;
    return `${head}${quote}${rel}${quote}`;
  });
}

function apply(code: string, inserts: [number, string][]): string {
  let out = code;
  for (const [at, text] of [...inserts].sort((a, b) => b[0] - a[0])) out = out.slice(0, at) + text + out.slice(at);
  return out;
}

/** One page → one module; returns the line map (generated line → page line). */
async function generate(page: string): Promise<{ file: string; lines: number[] }> {
  const rel = relative(join(ROOT, "src"), page);
  const file = join(OUT, rel.replace(/\.md$/, ".js"));
  const markdown = await readFile(page, "utf8");
  const cells = ordered(cellsOf(markdown).map((c) => parseCell(c.code, c.line, rel)));
  const lines: number[] = [0];
  const chunks: string[] = [];
  const emit = (text: string, firstLine: number) => {
    text.split("\n").forEach((_, k) => {
      lines.push(firstLine + k);
    });
    chunks.push(text);
  };
  emit("// @ts-check", 0);
  for (const cell of cells) {
    let code = apply(cell.code, cell.inserts);
    if (cell.expression) code = `void (${code});`;
    // Each cell is a block in Framework; its imports are hoisted by ES modules anyway.
    emit(rewriteImports(code, page, file), cell.line);
  }
  emit("export {};", 0);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${chunks.join("\n")}\n`);
  return { file, lines };
}

async function pages(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".")) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await pages(path)));
    else if (entry.name.endsWith(".md")) out.push(path);
  }
  return out.sort();
}

/** Maps `.cache/pages/x.js:L` (and `(L,C)`) in a tool's output back to `src/x.md:line`. */
function remap(output: string, maps: Map<string, number[]>): string {
  return output.replace(
    /([\w./[\]-]*\.cache\/pages\/[\w./[\]-]+\.js)(?::(\d+)(?::\d+)?|\((\d+),\d+\))/g,
    (whole, f, a, b) => {
      const abs = resolve(ROOT, f);
      const map = maps.get(abs);
      const line = Number(a ?? b);
      if (!map?.[line]) return whole;
      return `${relative(ROOT, join(ROOT, "src", relative(OUT, abs).replace(/\.js$/, ".md")))}:${map[line]}`;
    },
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await rm(OUT, { recursive: true, force: true });
  const maps = new Map<string, number[]>();
  for (const page of await pages(join(ROOT, "src"))) {
    const { file, lines } = await generate(page);
    maps.set(file, lines);
  }
  const bin = (name: string) => join(ROOT, "node_modules", ".bin", name);
  const tsc = spawnSync(bin("tsc"), ["-p", "tsconfig.pages.json", "--pretty", "false"], {
    cwd: ROOT,
    encoding: "utf8",
  });
  const lint = spawnSync(bin("biome"), ["lint", "--config-path=biome.pages.json", "--colors=off", OUT], {
    cwd: ROOT,
    encoding: "utf8",
  });
  let failed = false;
  if (tsc.status !== 0) {
    failed = true;
    process.stderr.write(`page type check:\n${remap(tsc.stdout + tsc.stderr, maps)}\n`);
  }
  if (lint.status !== 0) {
    failed = true;
    process.stderr.write(`page lint:\n${remap(lint.stdout + lint.stderr, maps)}\n`);
  }
  process.stderr.write(`check-pages: ${maps.size} pages, ${failed ? "problems above" : "type check and lint clean"}\n`);
  process.exit(failed ? 1 : 0);
}
