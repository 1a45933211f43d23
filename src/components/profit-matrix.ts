import { formatCount as int, formatRupees } from "../lib/format.js";
import type { PolicyOutcome } from "../lib/profit.js";

function cell(tag: "td" | "th", className: string, lines: string[]): HTMLTableCellElement {
  const el = document.createElement(tag);
  el.className = className;
  lines.forEach((text, i) => {
    const line = document.createElement("div");
    line.className = i === 0 ? "rl-matrix-label" : i === 1 ? "rl-matrix-money" : "rl-matrix-note";
    line.textContent = text;
    el.append(line);
  });
  return el;
}

/** The four cells of the matrix as lines of text (label, money, note), row by row: would churn, would stay. */
export function matrixCells(o: PolicyOutcome, acceptance: number): { tone: "good" | "bad"; lines: string[] }[][] {
  return [
    [
      {
        tone: "good",
        lines: [
          `Saved: ${int(o.tp)} customers`,
          `${formatRupees(o.saved)} revenue kept`,
          `expected: ${Math.round(100 * acceptance)}% accept; their offers cost ${formatRupees(o.savedCost)}`,
        ],
      },
      {
        tone: "bad",
        lines: [
          `Lost revenue: ${int(o.fn)} churners missed`,
          `${formatRupees(o.lost)} lifetime value lost`,
          "no offer reached them",
        ],
      },
    ],
    [
      {
        tone: "bad",
        lines: [
          `Wasted budget: ${int(o.fp)} customers`,
          `${formatRupees(o.wasted)} spent`,
          "offers to customers who would have stayed",
        ],
      },
      {
        tone: "good",
        lines: [`Correctly ignored: ${int(o.tn)} customers`, `${formatRupees(0)} spent`, "nothing to do"],
      },
    ],
  ];
}

const COLUMNS = ["Targeted", "Not targeted"];
const ROWS = ["Would churn", "Would stay"];
export const MATRIX_TITLE = "Business confusion matrix at the chosen threshold";

/**
 * The business confusion matrix of one targeting policy: who was targeted against who would have churned, in customers
 * and rupees. A real <table> with row and column headers, so screen readers announce each cell's meaning.
 */
export function businessMatrix(o: PolicyOutcome, { acceptance = 0.3, title = MATRIX_TITLE } = {}): HTMLElement {
  const table = document.createElement("table");
  table.className = "rl-matrix";
  const caption = document.createElement("caption");
  caption.textContent = title;
  table.append(caption);
  const head = document.createElement("tr");
  head.append(document.createElement("td"));
  for (const label of COLUMNS) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = label;
    head.append(th);
  }
  table.append(head);
  matrixCells(o, acceptance).forEach((cells, r) => {
    const tr = document.createElement("tr");
    const th = document.createElement("th");
    th.scope = "row";
    th.textContent = ROWS[r];
    tr.append(th, ...cells.map((c) => cell("td", `rl-matrix-${c.tone}`, c.lines)));
    table.append(tr);
  });
  return table;
}

const SVG_NS = "http://www.w3.org/2000/svg";

/** The same matrix as a standalone SVG document (for the SVG and PNG downloads). */
export function businessMatrixSvg(
  o: PolicyOutcome,
  { acceptance = 0.3, title = MATRIX_TITLE, width = 640 } = {},
): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, "svg");
  const rowHead = 110;
  const cellW = (width - rowHead - 18) / 2;
  const cellH = 92;
  const top = 56;
  const height = top + 2 * (cellH + 6) + 8;
  svg.setAttribute("xmlns", SVG_NS);
  svg.setAttribute("width", String(width));
  svg.setAttribute("height", String(height));
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("font-family", "system-ui, sans-serif");
  const add = (tag: string, attrs: Record<string, string | number>, text?: string) => {
    const el = document.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
    if (text !== undefined) el.textContent = text;
    svg.append(el);
    return el;
  };
  add("title", {}, title);
  add("rect", { width: "100%", height: "100%", fill: "#ffffff" });
  add("text", { x: 0, y: 18, "font-size": 15, "font-weight": 600, fill: "#1b1e23" }, title);
  COLUMNS.forEach((label, c) => {
    add(
      "text",
      {
        x: rowHead + 6 + c * (cellW + 6) + cellW / 2,
        y: top - 10,
        "text-anchor": "middle",
        "font-size": 13,
        "font-weight": 600,
        fill: "#1b1e23",
      },
      label,
    );
  });
  matrixCells(o, acceptance).forEach((cells, r) => {
    const y = top + r * (cellH + 6);
    add("text", { x: 0, y: y + cellH / 2 + 4, "font-size": 13, "font-weight": 600, fill: "#1b1e23" }, ROWS[r]);
    cells.forEach((c, k) => {
      const x = rowHead + 6 + k * (cellW + 6);
      add("rect", { x, y, width: cellW, height: cellH, rx: 6, fill: c.tone === "good" ? "#dcebe6" : "#f5dfe1" });
      const maxChars = Math.floor((cellW - 16) / 6.2);
      const clip = (s: string) => (s.length > maxChars ? `${s.slice(0, maxChars - 1)}…` : s);
      add("text", { x: x + 10, y: y + 22, "font-size": 13, "font-weight": 600, fill: "#1b1e23" }, clip(c.lines[0]));
      add("text", { x: x + 10, y: y + 48, "font-size": 18, fill: "#1b1e23" }, clip(c.lines[1]));
      add("text", { x: x + 10, y: y + 72, "font-size": 11, fill: "#555555" }, clip(c.lines[2]));
    });
  });
  return svg;
}
