import { isBreakerOpen, type Breaker } from "./breaker.js";
import type { Completion } from "./client.js";
import type { Prompt } from "./prompts.js";
import { backoffMs, CallFailure, sleep } from "./retry.js";
import { increment, type Summary } from "./summary.js";
import type { FallbackReason } from "./types.js";

/** Shared by all tasks of a run: HTTP requests and tokens spent so far, their caps, and the stage's deadline. */
export interface CallState {
  calls: number;
  maxCalls: number;
  /** Tokens billed so far (the server's `usage`, else an estimate) and the cap: no call starts once it is reached. */
  tokens: number;
  maxTokens: number;
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
    if (state.calls >= state.maxCalls || state.tokens >= state.maxTokens) return last?.kind ?? "budget";
    state.calls++; // reserved before firing: concurrent tasks must not overshoot the budget
    try {
      const completion = await breaker.fire(prompt);
      state.tokens += completion.tokens ?? estimateTokens(prompt, completion.text);
      return completion;
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

/**
 * Tokens of a call whose server reported no usage: about 4 characters a token for the prompt and the reply, and never
 * less than the reply's max_tokens allowance, so a silent server cannot spend more than the budget says.
 */
export function estimateTokens(prompt: Prompt, reply: string): number {
  const chars = prompt.messages.reduce((n, m) => n + m.content.length, 0);
  return Math.ceil(chars / 4) + Math.max(prompt.params.max_tokens, Math.ceil(reply.length / 4));
}
