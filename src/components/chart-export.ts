/**
 * Downloads on every chart: SVG and PNG of the chart as shown (title, subtitle, legend, plot, caption) and CSV of
 * the data behind it. Used by the pages and by the exported embed modules, so it must work on any host page: it
 * brings its own styles (ensureStyles) and resolves the site's CSS variables into plain colours in the files.
 */
import { recordsToCsv } from "../lib/csv.js";
import { exportHtml, metaLines, resolveMeta, type ExportMeta, type ResolvedMeta } from "../lib/export-meta.js";
import { manifest } from "../lib/load.js";
import { dataTableDetails, nameMarkGroups } from "./chart-a11y.js";

const SVG_NS = "http://www.w3.org/2000/svg";
export type DownloadFormat = "svg" | "png" | "csv" | "html";
export type { ExportMeta } from "../lib/export-meta.js";

export interface DownloadOptions {
  /** file name without extension, e.g. "profit-curve" → profit-curve.svg / .png / .csv */
  name: string;
  /** the rows behind the chart (or a function returning them, called at download time) */
  data: readonly Record<string, unknown>[] | (() => readonly Record<string, unknown>[]);
  /** CSV columns (default: the keys of the first row) */
  columns?: readonly string[];
  /** what the buttons' labels call the chart (default: the chart's title) */
  label?: string;
  /** a custom SVG rendering, for views that are not SVG on screen (the business matrix table) */
  svg?: () => SVGSVGElement;
  /**
   * What the chart states about itself in its SVG, PNG and HTML files (src/lib/export-meta.ts): the data set, the data
   * and model in words, and the parameters it was drawn with (a function is called at download time, so it can read
   * the page's current state). The build's identity (manifest hashes) is added in any case.
   */
  meta?: ExportMeta | (() => ExportMeta);
  /** called after each download (the site sends an audit beacon; embeds pass nothing) */
  onDownload?: (format: DownloadFormat, name: string) => void;
}

/** Injects the component styles once per document. Colours fall back to the site's palette outside the site. */
export function ensureStyles(doc: Document = document): void {
  injectStyle("rl-component-style", COMPONENT_CSS, doc);
}

/** A <style> with this id and text in the document's head, added once (pages and embeds on any host page). */
export function injectStyle(id: string, css: string, doc: Document = document): void {
  if (doc.getElementById(id)) return;
  const style = doc.createElement("style");
  style.id = id;
  style.textContent = css;
  doc.head.append(style);
}

const COMPONENT_CSS = `
.rl-chart { position: relative; }
.rl-downloads { display: flex; flex-wrap: wrap; gap: 0.35rem; align-items: center; justify-content: flex-end; margin-top: 0.35rem; font: 12px/1.4 system-ui, sans-serif; }
.rl-downloads button { font: inherit; padding: 0.15rem 0.55rem; border-radius: 4px; cursor: pointer; color: inherit;
  border: 1px solid var(--theme-foreground-faint, #bbb); background: var(--theme-background-alt, #f6f6f6); }
.rl-downloads button:hover { border-color: var(--rl-accent, #0b6e4f); }
.rl-downloads button:focus-visible { outline: 3px solid var(--rl-accent, #0b6e4f); outline-offset: 2px; }
.rl-downloads [role="status"] { color: var(--rl-risk-high, #b2182b); }
.rl-downloads [role="status"]:empty { display: none; }
.rl-embed-error { padding: 0.75rem 1rem; border-radius: 6px; border-left: 4px solid var(--rl-risk-high, #b2182b);
  background: var(--theme-foreground-faintest, #f3f3f3); font: 14px/1.4 system-ui, sans-serif; }
.rl-matrix { width: 100%; max-width: none; border-collapse: separate; border-spacing: 6px; font: 14px/1.35 system-ui, sans-serif; }
.rl-matrix caption { text-align: left; font-weight: 600; padding-bottom: 4px; }
.rl-matrix th { font-weight: 600; vertical-align: middle; padding: 4px; }
.rl-matrix td { padding: 10px; border-radius: 6px; vertical-align: top; width: 42%; }
.rl-matrix-good { background: color-mix(in srgb, var(--rl-accent, #0b6e4f) 14%, transparent); }
.rl-matrix-bad { background: color-mix(in srgb, var(--rl-risk-high, #b2182b) 12%, transparent); }
.rl-matrix-label { font-weight: 600; }
.rl-matrix-money { font-size: 1.3em; font-variant-numeric: tabular-nums; }
.rl-matrix-note { font-size: 0.85em; opacity: 0.75; }
.rl-view-note { font: 13px/1.4 system-ui, sans-serif; color: var(--theme-foreground-muted, #4f5257); margin: 0.3rem 0 0; }
.rl-swatch { display: inline-block; width: 0.8em; height: 0.8em; border-radius: 2px; vertical-align: -0.05em; }
.rl-linked-buttons { display: flex; flex-wrap: wrap; gap: 0.3rem; margin-top: 0.35rem; font: 12px/1.4 system-ui, sans-serif; }
.rl-linked-buttons button { font: inherit; font-variant-numeric: tabular-nums; padding: 0.1rem 0.45rem; border-radius: 4px; cursor: pointer;
  color: inherit; border: 1px solid var(--theme-foreground-faint, #888); background: var(--theme-background, #fff); }
.rl-linked-buttons button[aria-pressed="true"] { background: var(--rl-accent, #0b6e4f); border-color: var(--rl-accent, #0b6e4f); color: #fff; }
.rl-linked-buttons button:disabled { cursor: default; opacity: 0.6; }
.rl-linked-buttons button:focus-visible { outline: 3px solid var(--rl-accent, #0b6e4f); outline-offset: 2px; }
.rl-data-table { font: 13px/1.4 system-ui, sans-serif; margin-top: 0.25rem; }
.rl-data-table summary { cursor: pointer; color: var(--theme-foreground-muted, #4f5257); }
.rl-data-table-scroll { max-height: 22rem; overflow: auto; margin-top: 0.35rem; }
.rl-data-table table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
.rl-data-table caption { text-align: left; font-weight: 600; padding-bottom: 0.25rem; }
.rl-data-table th, .rl-data-table td { padding: 0.15rem 0.6rem; border-bottom: 1px solid var(--theme-foreground-faintest, #ddd); text-align: left; }
.rl-data-table td.rl-num { text-align: right; }
`;

/**
 * Wraps a chart with three download buttons (SVG, PNG, CSV). Returns a <div class="rl-chart"> holding the chart;
 * the chart element itself is not changed.
 */
export function withDownloads(chart: Element, options: DownloadOptions): HTMLDivElement {
  ensureStyles(chart.ownerDocument ?? document);
  const doc = chart.ownerDocument ?? document;
  const wrapper = doc.createElement("div");
  wrapper.className = "rl-chart";
  wrapper.dataset.chart = options.name;
  const label = options.label ?? chartTitle(chart) ?? options.name;
  const bar = doc.createElement("div");
  bar.className = "rl-downloads";
  bar.setAttribute("role", "group");
  bar.setAttribute("aria-label", `Download: ${label}`);
  const status = doc.createElement("span");
  status.setAttribute("role", "status");
  const button = (format: DownloadFormat, text: string) => {
    const b = doc.createElement("button");
    b.type = "button";
    b.textContent = text;
    b.dataset.download = format;
    b.setAttribute(
      "aria-label",
      format === "html"
        ? `Download “${label}” as a self-contained HTML file (chart, data and details)`
        : `Download “${label}” as ${format.toUpperCase()}`,
    );
    b.title = b.getAttribute("aria-label")!;
    b.addEventListener("click", async () => {
      status.textContent = "";
      try {
        await download(chart, format, options);
        options.onDownload?.(format, options.name);
      } catch (error) {
        status.textContent = `Could not create the ${format.toUpperCase()} file: ${(error as Error)?.message ?? error}`;
      }
    });
    return b;
  };
  bar.append(status, button("svg", "SVG"), button("png", "PNG"), button("csv", "CSV"), button("html", "HTML"));
  nameMarkGroups(chart);
  const rows = () => (typeof options.data === "function" ? options.data() : options.data);
  wrapper.append(chart, bar, dataTableDetails(doc, label, rows, options.columns));
  return wrapper;
}

async function download(chart: Element, format: DownloadFormat, options: DownloadOptions): Promise<void> {
  const rows = () => (typeof options.data === "function" ? options.data() : options.data) as Record<string, unknown>[];
  if (format === "csv") {
    const text = recordsToCsv(rows(), options.columns);
    return saveBlob(new Blob([text], { type: "text/csv;charset=utf-8" }), `${options.name}.csv`);
  }
  const meta = await exportMeta(chart, options);
  const svg = withMeta(options.svg ? options.svg() : chartToSvg(chart), meta);
  const svgText = new XMLSerializer().serializeToString(svg);
  if (format === "svg") {
    const text = `<?xml version="1.0" encoding="UTF-8"?>\n${svgText}\n`;
    return saveBlob(new Blob([text], { type: "image/svg+xml;charset=utf-8" }), `${options.name}.svg`);
  }
  if (format === "html") {
    const data = rows();
    const columns = options.columns ?? (data.length ? Object.keys(data[0]!) : []);
    const text = exportHtml({ svg: svgText, rows: data, columns, meta });
    return saveBlob(new Blob([text], { type: "text/html;charset=utf-8" }), `${options.name}.html`);
  }
  return saveBlob(await svgToPng(svg), `${options.name}.png`);
}

/** The chart's metadata: the caller's, completed from the build manifest (read once per page). */
async function exportMeta(chart: Element, options: DownloadOptions): Promise<ResolvedMeta> {
  const given = typeof options.meta === "function" ? options.meta() : (options.meta ?? {});
  let built = null;
  try {
    built = await manifest();
  } catch {
    // resolveMeta says the build is unknown
  }
  const site = new URL(import.meta.url).origin;
  return resolveMeta(given, { title: options.label ?? chartTitle(chart) ?? options.name, manifest: built, site });
}

/** The SVG with its metadata: as JSON in <metadata>, and as lines of small text under the chart (PNG shows them). */
function withMeta(svg: SVGSVGElement, meta: ResolvedMeta): SVGSVGElement {
  const doc = svg.ownerDocument;
  const width = Number(svg.getAttribute("width")) || 640;
  let height = Number(svg.getAttribute("height")) || 0;
  const metadata = doc.createElementNS(SVG_NS, "metadata");
  metadata.id = "retention-lab-meta";
  metadata.textContent = JSON.stringify(meta);
  svg.insertBefore(metadata, svg.firstChild);
  height += 6;
  for (const line of metaLines(meta).flatMap((l) => wrapText(l, width - 4, 10))) {
    height += 13;
    const t = doc.createElementNS(SVG_NS, "text");
    t.setAttribute("x", "0");
    t.setAttribute("y", String(height - 3));
    t.setAttribute("font-size", "10");
    t.setAttribute("fill", "#4f5257");
    t.textContent = line;
    svg.append(t);
  }
  height += 4;
  svg.setAttribute("height", String(height));
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  return svg;
}

/** Saves a blob under a file name through a temporary <a download> (no pop-up, no navigation). */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  a.style.display = "none";
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** The title of a Plot figure (its <h2>), if any. */
function chartTitle(chart: Element): string | null {
  const h2 = chart.matches("figure") ? chart.querySelector(":scope > h2") : chart.querySelector("figure > h2");
  return h2?.textContent?.trim() || null;
}

/** Width and height of an <svg> from its attributes (Plot sets both), else its layout box. */
function svgSize(svg: SVGSVGElement): { width: number; height: number } {
  const w = Number(svg.getAttribute("width"));
  const h = Number(svg.getAttribute("height"));
  if (w > 0 && h > 0) return { width: w, height: h };
  const box = svg.getBoundingClientRect();
  return { width: Math.max(1, Math.round(box.width)), height: Math.max(1, Math.round(box.height)) };
}

const PAINT_PROPERTIES = ["fill", "stroke", "color", "stop-color"] as const;

/**
 * A standalone copy of an on-screen <svg>: CSS variables and currentColor in paint attributes are replaced by the
 * colours the browser computed, and tooltips (interactive overlays) are dropped.
 */
function standaloneSvg(svg: SVGSVGElement): SVGSVGElement {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  const originals = [svg, ...svg.querySelectorAll("*")];
  const copies = [copy, ...copy.querySelectorAll("*")];
  originals.forEach((el, i) => {
    const target = copies[i];
    const computed = getComputedStyle(el);
    for (const prop of PAINT_PROPERTIES) {
      const attr = target.getAttribute(prop);
      if (attr && (attr.includes("var(") || attr === "currentColor"))
        target.setAttribute(prop, computed.getPropertyValue(prop));
    }
    const inline = target.getAttribute("style");
    if (inline?.includes("var(")) {
      for (const prop of PAINT_PROPERTIES) {
        if (inline.includes(prop)) (target as SVGElement).style.setProperty(prop, computed.getPropertyValue(prop));
      }
    }
  });
  for (const g of copy.querySelectorAll('g[aria-label="tip"]')) g.remove();
  copy.setAttribute("xmlns", SVG_NS);
  copy.style.color = getComputedStyle(svg).color;
  return copy;
}

/** Greedy word wrap by an approximate glyph width (no layout engine in a file). */
function wrapText(text: string, maxWidth: number, fontSize: number): string[] {
  const perLine = Math.max(10, Math.floor(maxWidth / (0.56 * fontSize)));
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && (line + " " + word).length > perLine) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/**
 * One SVG document of a chart as it is shown: for a Plot figure, its title and subtitle, its swatch legends, every
 * <svg> (ramp legends and the plot) and its caption, stacked in order; for a bare <svg>, that svg.
 */
export function chartToSvg(chart: Element): SVGSVGElement {
  const figure = chart.matches("figure, svg") ? chart : chart.querySelector("figure, svg");
  if (!figure) throw new Error("no chart to export (no <figure> or <svg> inside)");
  const doc = figure.ownerDocument;
  const out = doc.createElementNS(SVG_NS, "svg");
  const style = getComputedStyle(figure);
  const fontFamily = style.fontFamily || "system-ui, sans-serif";
  const color = style.color || "#1b1e23";
  const parts = figure instanceof SVGSVGElement ? [figure] : Array.from(figure.children);
  const width = Math.max(
    320,
    ...parts.filter((p): p is SVGSVGElement => p instanceof SVGSVGElement).map((s) => svgSize(s).width),
  );
  const body: SVGElement[] = [];
  let y = 0;
  const text = (content: string, size: number, weight: number, fill = color) => {
    for (const line of wrapText(content, width - 4, size)) {
      y += size * 1.35;
      const t = doc.createElementNS(SVG_NS, "text");
      t.setAttribute("x", "0");
      t.setAttribute("y", String(y - size * 0.3));
      t.setAttribute("font-size", String(size));
      t.setAttribute("font-weight", String(weight));
      t.setAttribute("fill", fill);
      t.textContent = line;
      body.push(t);
    }
    y += size * 0.4;
  };
  for (const part of parts) {
    if (part instanceof SVGSVGElement) {
      if (part.closest("[class$='-swatch']")) continue;
      const { width: w, height: h } = svgSize(part);
      const copy = standaloneSvg(part);
      copy.setAttribute("x", "0");
      copy.setAttribute("y", String(y));
      copy.setAttribute("width", String(w));
      copy.setAttribute("height", String(h));
      body.push(copy);
      y += h + 4;
    } else if (part.tagName === "H2") text(part.textContent ?? "", 17, 600);
    else if (part.tagName === "H3") text(part.textContent ?? "", 13, 400);
    else if (part.tagName === "FIGCAPTION") text(part.textContent ?? "", 12, 400);
    else if ([...part.classList].some((c) => c.endsWith("-swatches"))) {
      // Swatch legend: a row of coloured squares with labels, wrapped to the width.
      let x = 0;
      y += 4;
      for (const swatch of part.querySelectorAll("[class$='-swatch']")) {
        const shape = swatch.querySelector("svg rect, svg circle, svg path");
        const label = swatch.textContent?.trim() ?? "";
        const w = 22 + 6.5 * label.length;
        if (x > 0 && x + w > width) {
          x = 0;
          y += 18;
        }
        const fill = shape ? getComputedStyle(shape).fill : color;
        const stroke = shape ? getComputedStyle(shape).stroke : "none";
        const rect = doc.createElementNS(SVG_NS, "rect");
        rect.setAttribute("x", String(x));
        rect.setAttribute("y", String(y));
        rect.setAttribute("width", "14");
        rect.setAttribute("height", "14");
        rect.setAttribute("fill", fill === "none" ? "none" : fill);
        if (stroke && stroke !== "none") rect.setAttribute("stroke", stroke);
        const t = doc.createElementNS(SVG_NS, "text");
        t.setAttribute("x", String(x + 18));
        t.setAttribute("y", String(y + 11));
        t.setAttribute("font-size", "12");
        t.setAttribute("fill", color);
        t.textContent = label;
        body.push(rect, t);
        x += w + 12;
      }
      y += 24;
    } else if (part.textContent?.trim()) text(part.textContent.trim(), 12, 400);
  }
  const height = Math.ceil(y + 4);
  out.setAttribute("xmlns", SVG_NS);
  out.setAttribute("width", String(width));
  out.setAttribute("height", String(height));
  out.setAttribute("viewBox", `0 0 ${width} ${height}`);
  out.setAttribute("font-family", fontFamily);
  const background = doc.createElementNS(SVG_NS, "rect");
  background.setAttribute("width", "100%");
  background.setAttribute("height", "100%");
  background.setAttribute("fill", pageBackground(figure));
  const title = doc.createElementNS(SVG_NS, "title");
  title.textContent = chartTitle(chart) ?? "chart";
  out.append(title, background, ...body);
  return out;
}

/** The first non-transparent background behind an element (white if none), as #rrggbb. */
function pageBackground(el: Element): string {
  for (let e: Element | null = el; e; e = e.parentElement) {
    const bg = getComputedStyle(e).backgroundColor;
    if (bg && bg !== "transparent" && !/rgba\(.*,\s*0\)$/.test(bg)) return hexColor(bg);
  }
  return "#ffffff";
}

/**
 * Any CSS colour as #rrggbb: computed styles may read "color(srgb …)" (a theme's color-mix), which browsers draw but
 * many SVG editors do not. A 1×1 canvas converts it; white if no canvas is available.
 */
function hexColor(css: string): string {
  const context = document.createElement("canvas").getContext("2d", { willReadFrequently: true });
  if (!context) return "#ffffff";
  context.fillStyle = "#ffffff";
  context.fillRect(0, 0, 1, 1);
  context.fillStyle = css;
  context.fillRect(0, 0, 1, 1);
  const [r, g, b] = context.getImageData(0, 0, 1, 1).data;
  return `#${[r, g, b].map((v) => v.toString(16).padStart(2, "0")).join("")}`;
}

/** Rasterises an SVG document at `scale` × its size (2: sharp on high-density screens and in slides). */
export async function svgToPng(svg: SVGSVGElement, scale = 2): Promise<Blob> {
  const width = Number(svg.getAttribute("width"));
  const height = Number(svg.getAttribute("height"));
  const text = new XMLSerializer().serializeToString(svg);
  const url = URL.createObjectURL(new Blob([text], { type: "image/svg+xml;charset=utf-8" }));
  try {
    const image = new Image(width, height);
    await new Promise<void>((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = () => reject(new Error("the browser could not draw the chart as an image"));
      image.src = url;
    });
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const context = canvas.getContext("2d");
    if (!context) throw new Error("no 2D canvas available");
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("PNG encoding failed"))), "image/png"),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}
