import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";
import { hashUnit } from "./hash.js";

/** What went wrong with one HTTP attempt. */
export type FailureKind = "timeout" | "network" | "malformed-response" | "too-large" | "deadline" | `http-${number}`;

/** A failed attempt, classified. Messages never include request headers, so never the key. */
export class CallFailure extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    /** Server-requested wait before the next attempt (Retry-After), in ms. */
    readonly retryAfterMs?: number,
  ) {
    super(`${kind}: ${message}`);
    this.name = "CallFailure";
  }

  /** Only transient failures are retried: 429, 5xx and network-level errors (timeouts included). */
  get retryable(): boolean {
    if (this.kind === "timeout" || this.kind === "network") return true;
    const status = Number(this.kind.slice("http-".length));
    return this.kind.startsWith("http-") && (status === 429 || status >= 500);
  }
}

/** Maps whatever the client threw onto a FailureKind. `timedOut` says our own deadline fired. */
export function classify(error: unknown, timedOut: boolean): CallFailure {
  if (error instanceof CallFailure) return error;
  // Our bounded fetch throws CallFailure ("too-large"); the client wraps what fetch throws as a connection error.
  if ((error as { cause?: unknown } | null)?.cause instanceof CallFailure)
    return (error as { cause: CallFailure }).cause;
  if (timedOut || error instanceof APIConnectionTimeoutError) return new CallFailure("timeout", "no answer in time");
  if (error instanceof APIUserAbortError) return new CallFailure("timeout", "aborted");
  if (error instanceof APIError && typeof error.status === "number") {
    return new CallFailure(`http-${error.status}`, error.message, parseRetryAfter(error.headers));
  }
  if (error instanceof APIConnectionError) return new CallFailure("network", String(error.cause ?? error.message));
  // The client parses the body itself: a SyntaxError here is a server that sent broken JSON.
  if (error instanceof SyntaxError) return new CallFailure("malformed-response", error.message);
  return new CallFailure("network", error instanceof Error ? error.message : String(error));
}

/**
 * The wait a server asked for, in ms: `retry-after-ms` (OpenAI's), else `Retry-After` as seconds or an
 * HTTP date. Undefined when absent or unreadable.
 */
export function parseRetryAfter(headers: Headers | undefined, now = Date.now()): number | undefined {
  const ms = Number(headers?.get("retry-after-ms") ?? NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers?.get("retry-after")?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

/**
 * Exponential backoff with "equal jitter": half the step is fixed, half is spread by a hash of
 * (seed, attempt), so concurrent retries do not synchronise yet a rerun waits exactly as long.
 */
export function backoffMs(attempt: number, seed: string, { baseMs, maxMs }: BackoffOptions): number {
  const step = Math.min(maxMs, baseMs * 2 ** attempt);
  return Math.round(step / 2 + (hashUnit("backoff", seed, attempt) * step) / 2);
}

/** Resolves after `ms` milliseconds, or as soon as `signal` aborts (a deadline must not wait out a backoff). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done);
  });
}
