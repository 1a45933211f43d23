/**
 * The honest business matrix of a campaign policy (src/lib/business-matrix.ts): who was targeted against who would
 * have churned, with the targeted churners split into those expected to accept and stay (saved) and those who leave
 * despite the offer. Every cell gives customers and money, and the nets add up to the policy's profit, which the
 * table's last row shows as that sum. A real <table> on screen; the SVG and PNG downloads draw the same cells, sized
 * to their text (nothing clipped), with the caption that names the economics and the policy.
 */
import type { BusinessMatrix, MatrixCell } from "../lib/business-matrix.js";
import { formatCountIn, formatMoney, type Currency } from "../lib/format.js";
import { withDownloads, type DownloadFormat } from "./chart-export.js";
import type { ExportMeta } from "../lib/export-meta.js";

export const CAMPAIGN_MATRIX_TITLE = "Where the money goes: the business matrix of the chosen policy";

type CellName = "saved" | "lostDespiteOffer" | "missed" | "wasted" | "ignored";

interface CellText {
  name: CellName;
  label: string;
  tone: "good" | "bad";
  lines: string[];
}

const CSV_NAMES: Record<CellName, string> = {
  saved: "saved",
  lostDespiteOffer: "lost_despite_offer",
  missed: "missed_churners",
  wasted: "wasted_offers",
  ignored: "correctly_ignored",
};

/** The words of each cell: its label, tone and three lines (customers, money, net contribution to the profit). */
export function matrixText(m: BusinessMatrix, currency: Currency): Record<CellName, CellText> {
  const money = (x: number) => formatMoney(x, currency, { compact: true });
  const people = (c: MatrixCell) => `${formatCountIn(c.customers, currency)} customers`;
  const net = (c: MatrixCell) => `net ${c.net >= 0 ? "+" : ""}${money(c.net)}`;
  return {
    saved: {
      name: "saved",
      label: "Saved: accept and stay",
      tone: "good",
      lines: [people(m.saved), `${money(m.saved.value)} of value kept − ${money(m.saved.cost)} offers`, net(m.saved)],
    },
    lostDespiteOffer: {
      name: "lostDespiteOffer",
      label: "Lost despite the offer",
      tone: "bad",
      lines: [
        people(m.lostDespiteOffer),
        `${money(m.lostDespiteOffer.value)} of value lost; ${money(m.lostDespiteOffer.cost)} spent`,
        net(m.lostDespiteOffer),
      ],
    },
    missed: {
      name: "missed",
      label: "Missed churners",
      tone: "bad",
      lines: [people(m.missed), `${money(m.missed.value)} of value lost`, "nothing spent: not in the profit"],
    },
    wasted: {
      name: "wasted",
      label: "Wasted offers: would have stayed",
      tone: "bad",
      lines: [people(m.wasted), `${money(m.wasted.cost)} of offers and contacts`, net(m.wasted)],
    },
    ignored: {
      name: "ignored",
      label: "Correctly left alone",
      tone: "good",
      lines: [people(m.ignored), "nothing spent", "stayers not contacted"],
    },
  };
}

export interface CampaignMatrixOptions {
  currency: Currency;
  /** the data set and parameters an exported file states (campaignMeta of the decision shown) */
  meta?: () => ExportMeta;
  /** what an exported file says under the matrix (economics and policy) */
  caption?: () => string;
  onDownload?: (format: DownloadFormat, name: string) => void;
  name?: string;
}

export type CampaignMatrixView = HTMLDivElement & { update(m: BusinessMatrix): void };

/** The matrix view; update() redraws it for a new policy or economics. */
export function campaignMatrixView(options: CampaignMatrixOptions): CampaignMatrixView {
  const { currency } = options;
  const host = document.createElement("figure");
  host.className = "rl-figure rl-campaign-matrix";
  host.style.margin = "0";
  host.style.maxWidth = "none";
  let current: BusinessMatrix | null = null;
  const view = withDownloads(host, {
    name: options.name ?? "business-matrix",
    label: CAMPAIGN_MATRIX_TITLE,
    svg: () => matrixSvg(current!, currency, options.caption?.() ?? ""),
    data: () => (current ? matrixRows(current, currency, options.caption?.() ?? "") : []),
    meta: options.meta,
    onDownload: options.onDownload,
  }) as CampaignMatrixView;
  view.update = (m) => {
    current = m;
    host.replaceChildren(matrixTable(m, currency));
    view.dataset.summary = JSON.stringify({
      basis: m.basis,
      saved: m.saved.customers,
      lostDespiteOffer: m.lostDespiteOffer.customers,
      missed: m.missed.customers,
      wasted: m.wasted.customers,
      ignored: m.ignored.customers,
      profit: m.profit,
      nets: [m.saved.net, m.lostDespiteOffer.net, m.missed.net, m.wasted.net, m.ignored.net],
    });
  };
  return view;
}

/** The matrix as an HTML table: rows would churn / would stay, columns targeted / not, and the profit as a sum. */
export function matrixTable(m: BusinessMatrix, currency: Currency): HTMLTableElement {
  const money = (x: number) => formatMoney(x, currency, { compact: true });
  const cells = matrixText(m, currency);
  const table = document.createElement("table");
  table.className = "rl-matrix";
  const caption = document.createElement("caption");
  caption.textContent =
    m.basis === "expected"
      ? `${CAMPAIGN_MATRIX_TITLE} (churners as the model expects them)`
      : `${CAMPAIGN_MATRIX_TITLE} (churners as observed on these held-out customers)`;
  const colgroup = document.createElement("colgroup");
  colgroup.innerHTML = '<col class="rl-matrix-head"><col><col>';
  const head = document.createElement("tr");
  head.append(document.createElement("td"), th("col", "Targeted"), th("col", "Not targeted"));
  const row = (label: string, parts: CellText[], rowSpan?: number) => {
    const tr = document.createElement("tr");
    const h = th("row", label);
    if (rowSpan) h.rowSpan = rowSpan;
    if (label) tr.append(h);
    for (const c of parts) {
      const td = document.createElement("td");
      td.className = `rl-matrix-${c.tone}`;
      if (c.name === "missed") td.rowSpan = 2;
      td.dataset.cell = CSV_NAMES[c.name];
      const title = document.createElement("div");
      title.className = "rl-matrix-label";
      title.textContent = c.label;
      const [who, money, net] = c.lines;
      const big = document.createElement("div");
      big.className = "rl-matrix-money";
      big.textContent = `${who} · ${net}`;
      const small = document.createElement("div");
      small.className = "rl-matrix-note";
      small.textContent = money;
      td.append(title, big, small);
      tr.append(td);
    }
    return tr;
  };
  const total = document.createElement("tr");
  const sum = document.createElement("td");
  sum.colSpan = 3;
  sum.className = "rl-matrix-sum";
  sum.textContent =
    `Profit = ${money(m.saved.net)} saved ${m.lostDespiteOffer.net < 0 ? "−" : "+"} ${money(Math.abs(m.lostDespiteOffer.net))} ` +
    `on churners who decline − ${money(-m.wasted.net)} wasted = ${money(m.profit)}`;
  total.append(sum);
  table.append(
    caption,
    colgroup,
    head,
    row("Would churn", [cells.saved, cells.missed], 2),
    row("", [cells.lostDespiteOffer]),
    row("Would stay", [cells.wasted, cells.ignored]),
    total,
  );
  return table;
}

function th(scope: "row" | "col", text: string) {
  const h = document.createElement("th");
  h.scope = scope;
  h.textContent = text;
  return h;
}

/** The CSV: one row per cell, with the basis and the economics and policy the caption states. */
export function matrixRows(m: BusinessMatrix, currency: Currency, parameters: string) {
  const unit = currency === "INR" ? "inr" : "usd";
  const order: CellName[] = ["saved", "lostDespiteOffer", "missed", "wasted", "ignored"];
  return [
    ...order.map((name) => ({
      cell: CSV_NAMES[name],
      would_churn: name === "wasted" || name === "ignored" ? "no" : "yes",
      targeted: name === "missed" || name === "ignored" ? "no" : "yes",
      customers: +m[name].customers.toFixed(3),
      [`value_${unit}`]: +m[name].value.toFixed(2),
      [`cost_${unit}`]: +m[name].cost.toFixed(2),
      [`net_${unit}`]: +m[name].net.toFixed(2),
      basis: m.basis,
      parameters,
    })),
    {
      cell: "profit",
      would_churn: "",
      targeted: "",
      customers: +(m.saved.customers + m.lostDespiteOffer.customers + m.wasted.customers).toFixed(3),
      [`value_${unit}`]: "",
      [`cost_${unit}`]: "",
      [`net_${unit}`]: +m.profit.toFixed(2),
      basis: m.basis,
      parameters,
    },
  ];
}

const SVG_NS = "http://www.w3.org/2000/svg";
const TONE_FILL = { good: "#dcebe6", bad: "#f5dfe1" } as const;

/** The matrix as a standalone SVG, each column as wide as its longest line (approximate glyph widths). */
export function matrixSvg(m: BusinessMatrix, currency: Currency, caption: string): SVGSVGElement {
  const cells = matrixText(m, currency);
  const glyph = 7.2; // px per character at 13 px, generous so nothing is clipped
  const columns = [
    [cells.saved, cells.lostDespiteOffer, cells.wasted],
    [cells.missed, cells.ignored],
  ];
  const longest = (col: number) =>
    Math.max(...columns[col].flatMap((c) => [c.label, ...c.lines].map((l) => l.length)), 12);
  const rowHead = 110;
  const colW = [0, 1].map((c) => Math.ceil(longest(c) * glyph) + 24);
  const width = rowHead + colW[0] + colW[1] + 24;
  const cellH = 84;
  const top = 58;
  const sumY = top + 3 * (cellH + 6) + 20;
  const captionLines = wrap(caption, Math.floor(width / 6.6));
  const height = sumY + 20 + 16 * captionLines.length;
  const svg = document.createElementNS(SVG_NS, "svg");
  const add = (tag: string, attrs: Record<string, string | number>, text?: string) => {
    const el = document.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
    if (text !== undefined) el.textContent = text;
    svg.append(el);
    return el;
  };
  for (const [k, v] of Object.entries({ xmlns: SVG_NS, width, height, viewBox: `0 0 ${width} ${height}` }))
    svg.setAttribute(k, String(v));
  svg.setAttribute("font-family", "system-ui, sans-serif");
  add("title", {}, CAMPAIGN_MATRIX_TITLE);
  add("rect", { width: "100%", height: "100%", fill: "#ffffff" });
  add("text", { x: 0, y: 18, "font-size": 15, "font-weight": 600, fill: "#1b1e23" }, CAMPAIGN_MATRIX_TITLE);
  const colX = [rowHead + 6, rowHead + 12 + colW[0]];
  ["Targeted", "Not targeted"].forEach((label, c) => {
    add(
      "text",
      {
        x: colX[c] + colW[c] / 2,
        y: top - 10,
        "text-anchor": "middle",
        "font-size": 13,
        "font-weight": 600,
        fill: "#1b1e23",
      },
      label,
    );
  });
  add("text", { x: 0, y: top + cellH + 4, "font-size": 13, "font-weight": 600, fill: "#1b1e23" }, "Would churn");
  add(
    "text",
    { x: 0, y: top + 2 * (cellH + 6) + cellH / 2 + 4, "font-size": 13, "font-weight": 600, fill: "#1b1e23" },
    "Would stay",
  );
  const box = (c: CellText, col: number, row: number, rows = 1) => {
    const x = colX[col];
    const y = top + row * (cellH + 6);
    add("rect", { x, y, width: colW[col], height: rows * cellH + (rows - 1) * 6, rx: 6, fill: TONE_FILL[c.tone] });
    add("text", { x: x + 10, y: y + 20, "font-size": 13, "font-weight": 600, fill: "#1b1e23" }, c.label);
    c.lines.forEach((l, i) => {
      const big = i === 0;
      add("text", { x: x + 10, y: y + 40 + 17 * i, "font-size": big ? 14 : 12, fill: big ? "#1b1e23" : "#444444" }, l);
    });
  };
  box(cells.saved, 0, 0);
  box(cells.missed, 1, 0, 2);
  box(cells.lostDespiteOffer, 0, 1);
  box(cells.wasted, 0, 2);
  box(cells.ignored, 1, 2);
  add(
    "text",
    { x: 0, y: sumY, "font-size": 13, "font-weight": 600, fill: "#1b1e23" },
    `Profit of the policy: ${formatMoney(m.profit, currency)} (${m.basis === "expected" ? "expected" : "observed outcomes"})`,
  );
  captionLines.forEach((l, i) => {
    add("text", { x: 0, y: sumY + 20 + 16 * i, "font-size": 11, fill: "#555555" }, l);
  });
  return svg;
}

function wrap(text: string, perLine: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && `${line} ${word}`.length > perLine) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}
