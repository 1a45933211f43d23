/**
 * Accessibility fixes to the page shell Framework writes, applied to every built page (Framework 1.13 has no option
 * for any of them):
 * - `<html lang="en">`: screen readers pick the voice and the browser the hyphenation from it;
 * - a "Skip to main content" link as the first Tab stop on pages with the sidebar (otherwise a keyboard user
 *   crosses a dozen sidebar links on every page), and the main element focusable by it (tabindex="-1");
 * - the sidebar's close control (a <label> Framework puts directly inside an <ol>, which only allows <li>) moved
 *   before that list, and a label naming the sidebar toggle, whose only name was its title;
 * - a viewport that lets people zoom (Framework's says maximum-scale=1).
 *
 * Each fix matches Framework's exact markup and fails the build when that markup is not found, so a Framework
 * upgrade that changes the shell is noticed rather than silently losing a fix. The dev server (`npm start`) serves
 * Framework's shell as is; tests/browser/accessibility.test.ts checks the built pages.
 *
 * CLI (scripts/postbuild.sh, before the CSP hashes are taken): `npx tsx scripts/accessible-html.ts dist`
 */
import { readFile, stat, utimes, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { htmlFiles } from "./csp.js";

export const SKIP_LINK = `<a class="rl-skip-link" href="#observablehq-main">Skip to main content</a>`;
const SIDEBAR_CLOSE = `<label id="observablehq-sidebar-close" for="observablehq-sidebar-toggle"></label>`;
const MAIN = `<main id="observablehq-main" class="observablehq">`;
// Its title is the toggle's only name (a title alone is not read by every screen reader); a label right after it,
// the first of its labels, names it.
const TOGGLE = `<input id="observablehq-sidebar-toggle" type="checkbox" title="Toggle sidebar">`;
const TOGGLE_LABEL = `<label class="rl-sr-only" for="observablehq-sidebar-toggle">Show or hide the sidebar</label>`;
// maximum-scale=1 stops people from zooming on phones (WCAG 1.4.4).
const VIEWPORT = /<meta name="viewport" content="width=device-width, initial-scale=1, maximum-scale=1">/;
const VIEWPORT_ZOOMABLE = `<meta name="viewport" content="width=device-width, initial-scale=1">`;

function replaceOnce(html: string, pattern: RegExp, replacement: string, what: string, name: string): string {
  if (!pattern.test(html)) throw new Error(`${name}: ${what} not found (has Framework's page shell changed?)`);
  return html.replace(pattern, replacement);
}

/** The page with the fixes above; `name` appears in errors. Idempotent: a fixed page is returned unchanged. */
export function accessibleHtml(html: string, name = "page"): string {
  if (/<html lang="en">/.test(html)) return html;
  let out = replaceOnce(html, /<html>/, `<html lang="en">`, "<html>", name);
  out = replaceOnce(out, VIEWPORT, VIEWPORT_ZOOMABLE, "the viewport meta tag", name);
  out = replaceOnce(out, new RegExp(MAIN), MAIN.replace(">", ` tabindex="-1">`), "the main element", name);
  const sidebar = out.includes(`<nav id="observablehq-sidebar">`);
  // Chrome-free pages (the embed frames) have neither header nor sidebar: nothing to skip.
  if (!sidebar && !out.includes(`<header id="observablehq-header">`)) return out;
  out = replaceOnce(out, /<body>\n/, `<body>\n${SKIP_LINK}\n`, "<body>", name);
  if (!sidebar) return out;
  out = replaceOnce(out, new RegExp(TOGGLE), `${TOGGLE}\n${TOGGLE_LABEL}`, "the sidebar toggle", name);
  const list = new RegExp(`(<nav id="observablehq-sidebar">\\s*)<ol>(\\s*)${SIDEBAR_CLOSE}\\s*`);
  return replaceOnce(out, list, `$1${SIDEBAR_CLOSE}\n  <ol>$2`, "the sidebar's close label", name);
}

/** Applies accessibleHtml to every .html file below dist, keeping each file's mtime; returns the count. */
export async function fixSite(dist: string): Promise<number> {
  const files = await htmlFiles(dist);
  for (const file of files) {
    const path = join(dist, file);
    const html = await readFile(path, "utf8");
    const fixed = accessibleHtml(html, file);
    if (fixed === html) continue;
    const { atime, mtime } = await stat(path);
    await writeFile(path, fixed);
    await utimes(path, atime, mtime);
  }
  return files.length;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dist = process.argv[2] ?? "dist";
  const count = await fixSite(dist);
  process.stderr.write(`accessible-html: ${count} pages in ${dist}\n`);
}
