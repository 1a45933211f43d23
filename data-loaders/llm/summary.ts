import type { BreakerState } from "./breaker.js";
import type { FailureKind } from "./retry.js";
import type { FallbackReason, MessageKind, Provenance, RejectionKind } from "./types.js";

/** What a generation run did. Holds no clock values, so it can go into build outputs. */
export interface Summary {
  kind: MessageKind;
  /** "provider model" or null when none was configured. */
  provider: string | null;
  total: number;
  bySource: Record<Provenance["source"], number>;
  /** Final reasons of the fallback messages. */
  fallbackReasons: Partial<Record<FallbackReason, number>>;
  /** Failed HTTP attempts by kind (an item retried twice counts up to three). */
  failures: Partial<Record<FailureKind, number>>;
  /** Answers refused by validation, by rule. */
  rejections: Partial<Record<RejectionKind, number>>;
  /** HTTP requests sent, retries included, and how many of them were retries. */
  calls: number;
  retries: number;
  /** Tokens spent by those requests (as the servers billed them, else estimated). */
  tokens: number;
  /** Customers eligible for an LLM call (top-K by risk) and the caps on HTTP requests and tokens. */
  budget: { customers: number; maxCalls: number; maxTokens: number };
  breaker: { state: BreakerState; transitions: BreakerState[]; rejects: number };
  /** Cache entries kept, written (new answers) and dropped (failed validation), and whether the cache file changed. */
  cache: { entries: number; added: number; dropped: number; written: boolean };
}

/** A summary with every count at zero. */
export function emptySummary(kind: MessageKind, provider: string | null, total: number): Summary {
  return {
    kind,
    provider,
    total,
    bySource: { llm: 0, cache: 0, fallback: 0 },
    fallbackReasons: {},
    failures: {},
    rejections: {},
    calls: 0,
    retries: 0,
    tokens: 0,
    budget: { customers: 0, maxCalls: 0, maxTokens: 0 },
    breaker: { state: "closed", transitions: [], rejects: 0 },
    cache: { entries: 0, added: 0, dropped: 0, written: false },
  };
}

/** Adds one to a count keyed by kind. */
export function increment<K extends string>(counts: Partial<Record<K, number>>, key: K): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

/** The progress line printed while generating. */
export function progressLine(s: Summary, done: number): string {
  const { llm, cache, fallback } = s.bySource;
  return `llm ${s.kind}: ${done}/${s.total} (llm ${llm}, cache ${cache}, fallback ${fallback}) calls ${s.calls}, retries ${s.retries}, breaker ${s.breaker.state}`;
}

/** The final summary as a few log lines. */
export function summaryLines(s: Summary, elapsedMs: number): string[] {
  const counts = (c: Record<string, number | undefined>) =>
    Object.entries(c)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => `${k} ${v}`)
      .join(", ") || "none";
  return [
    `llm ${s.kind}: ${s.total} messages in ${(elapsedMs / 1000).toFixed(1)} s via ${s.provider ?? "no provider"}: ${counts(s.bySource)}`,
    `llm ${s.kind}: fallback reasons: ${counts(s.fallbackReasons)}; failed attempts: ${counts(s.failures)}; rejected answers: ${counts(s.rejections)}`,
    `llm ${s.kind}: ${s.calls} calls (${s.retries} retries; budget ${s.budget.customers} customers, ${s.budget.maxCalls} calls), ${s.tokens} tokens (budget ${s.budget.maxTokens}); breaker ${s.breaker.state}, transitions: ${s.breaker.transitions.join(" → ") || "none"}, ${s.breaker.rejects} refused`,
    `llm ${s.kind}: cache ${s.cache.entries} entries, ${s.cache.added} new, ${s.cache.dropped} dropped${s.cache.written ? ", written" : ""}`,
  ];
}
