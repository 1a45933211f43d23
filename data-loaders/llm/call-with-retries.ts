import { isBreakerOpen, type Breaker } from "./breaker.js";
import type { Completion } from "./client.js";
import type { Prompt } from "./prompts.js";
import { backoffMs, CallFailure, sleep } from "./retry.js";
import { increment, type Summary } from "./summary.js";
import type { FallbackReason } from "./types.js";

/** Shared by all tasks of a run: HTTP requests sent so far, the cap, and the stage's deadline. */
export interface CallState {
  calls: number;
  maxCalls: number;
  /** Aborts when the message stage's deadline passes: no attempt starts after it, no backoff outlasts it. */
  deadline?: AbortSignal;
}

export interface RetryOptions {
  maxRetries: number;
  retryBaseMs: number;
  retryMaxMs: number;
  retryAfterCapMs: number;
}

/**
 * One prompt through the breaker with bounded retries. Returns the completion, or the fallback reason:
 * the last real failure when there was one (more telling than "breaker-open" or "budget" after it).
 */
export async function callWithRetries(
  prompt: Prompt,
  id: string,
  breaker: Breaker,
  state: CallState,
  summary: Summary,
  o: RetryOptions,
): Promise<Completion | FallbackReason> {
  let last: CallFailure | undefined;
  for (let attempt = 0; attempt <= o.maxRetries; attempt++) {
    if (state.deadline?.aborted) return "deadline";
    if (state.calls >= state.maxCalls) return last?.kind ?? "budget";
    state.calls++; // reserved before firing: concurrent tasks must not overshoot the budget
    try {
      return await breaker.fire(prompt);
    } catch (error) {
      if (isBreakerOpen(error)) {
        state.calls--; // refused locally, nothing was sent
        return last?.kind ?? "breaker-open";
      }
      last = error instanceof CallFailure ? error : new CallFailure("network", String(error));
      if (last.kind === "deadline") return "deadline";
      increment(summary.failures, last.kind);
    }
    if (!last.retryable || attempt === o.maxRetries) break;
    // Waiting less than the server asked would only earn another 429, so a long Retry-After ends the item.
    if (last.retryAfterMs !== undefined && last.retryAfterMs > o.retryAfterCapMs) break;
    const wait =
      last.retryAfterMs ?? backoffMs(attempt, `${id}:${prompt.hash}`, { baseMs: o.retryBaseMs, maxMs: o.retryMaxMs });
    summary.retries++;
    await sleep(wait, state.deadline);
  }
  return last!.kind;
}
