// Observable Framework configuration. Everything the site needs is local: see docs/architecture.md.
import { existsSync } from "node:fs";
import { EMBED_VIEWS } from "./src/lib/embed-views.js";

interface PageEntry {
  name: string;
  path?: string;
  pages?: PageEntry[];
}

/** The sidebar, keeping only pages whose Markdown exists (sections are built page by page). */
function present(entries: PageEntry[]): PageEntry[] {
  return entries
    .map((e) => (e.pages ? { ...e, pages: present(e.pages) } : e))
    .filter((e) => (e.pages ? e.pages.length > 0 : existsSync(`src${e.path === "/" ? "/index" : e.path}.md`)));
}
const favicon =
  "data:image/svg+xml," +
  encodeURIComponent(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#0b6e4f"/><path d="M8 22l6-7 4 4 6-9" stroke="#fff" stroke-width="3" fill="none"/></svg>`,
  );

export default {
  root: "src",
  // A private output folder lets several builds run side by side (tests, screenshots); the default is dist/.
  output: process.env.OUTPUT_DIR ?? "dist",
  title: "Retention Lab",
  // The default global stylesheet pulls a web font from a CDN; ours is local.
  globalStylesheets: [],
  style: "style.css",
  // An inline favicon: without one the browser requests /favicon.ico and logs a 404.
  head: `<link rel="icon" href="${favicon}">`,
  header: `<a href="./" class="rl-brand">Retention Lab</a>`,
  footer: "Retention Lab — built from the IBM Telco data set (Apache 2.0) and a seeded synthetic food-delivery base.",
  pages: present([
    { name: "Overview", path: "/" },
    {
      name: "Telco customer insights",
      pages: [
        { name: "Customer insights", path: "/telco/customer" },
        { name: "Engagement & churn", path: "/telco/engagement" },
        { name: "Personas", path: "/telco/personas" },
        { name: "A/B test", path: "/telco/ab-test" },
        { name: "Retention economics ($)", path: "/telco/retention" },
      ],
    },
    {
      name: "Profit-first targeting",
      pages: [{ name: "Retention economics", path: "/food/retention" }],
    },
    { name: "Models", path: "/models" },
    { name: "Embed", path: "/embed" },
  ]),
  // The embeddable views (src/lib/embed-views.ts): an exported module and a chrome-free frame page for each.
  dynamicPaths: EMBED_VIEWS.flatMap((v) => [`/embed/${v.id}.js`, `/embed/${v.id}`]),
  // Extensions are downloaded at build time by default; the site reads Arrow IPC, which needs none.
  duckdb: { extensions: { json: null, parquet: null } },
  search: false,
  linkify: false,
  // Links without .html; NGINX maps /page to /page.html (nginx/server.d/static-site.conf).
  preserveExtension: false,
  preserveIndex: false,
};
