// biome-ignore-all lint/suspicious/noExplicitAny: Framework's untyped globals (Inputs, html, Generators) are any here, as in Framework itself
/**
 * Observable Framework's globals inside a page's ```js cells, for scripts/check-pages.ts (tsconfig.pages.json only:
 * modules under src/ import what they use). Typed where a package ships types (Plot, d3), loose elsewhere.
 */
import type * as PlotModule from "@observablehq/plot";
import type * as d3Module from "d3";
import type { FileAttachmentHandle } from "observablehq:stdlib";

/** A cell's value as other cells see it: a promise's value, or the latest value a generator yielded. */
type CellValue<T> = T extends AsyncIterator<infer Y> ? Y : T extends Iterator<infer Y> ? Y : Awaited<T>;

declare global {
  /** Wraps each top-level declaration's value in the generated modules (scripts/check-pages.ts). */
  function __cell<T>(value: T): CellValue<T>;
  const observable: { params: Record<string, string> };
  const Plot: typeof PlotModule;
  const d3: typeof d3Module;
  const Inputs: any;
  const html: any;
  const svg: any;
  const md: any;
  const Generators: any;
  const Mutable: any;
  const sql: any;
  const DuckDBClient: any;
  const aq: any;
  const width: number;
  const now: number;
  const invalidation: Promise<void>;
  function FileAttachment(path: string): FileAttachmentHandle;
  function resize(render: (width: number, height: number) => any): HTMLElement;
  function display<T>(value: T): T;
  function view<T>(input: T): any;
  function visibility(): Promise<void>;
}
