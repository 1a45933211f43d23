import CircuitBreaker from "opossum";
import type { Caller, Completion } from "./client.js";
import type { Prompt } from "./prompts.js";

export type BreakerState = "closed" | "open" | "half-open";

/** Circuit breaker settings (opossum's names). */
export interface BreakerOptions {
  /** Failure rate (%) in the rolling window above which the breaker opens. */
  errorThresholdPercentage?: number;
  /** Calls the window must hold before the rate counts, so one early failure cannot open it. */
  volumeThreshold?: number;
  /** Time open before one trial call is let through (half-open). */
  resetTimeout?: number;
  /** Length of the rolling window of call statistics. */
  rollingCountTimeout?: number;
}

export const BREAKER_DEFAULTS: Required<BreakerOptions> = {
  errorThresholdPercentage: 50,
  volumeThreshold: 5,
  resetTimeout: 30_000,
  rollingCountTimeout: 60_000,
};

/** A breaker around a Caller that records its state transitions in order (no clock). */
export interface Breaker {
  fire(prompt: Prompt): Promise<Completion>;
  readonly state: BreakerState;
  readonly transitions: BreakerState[];
  /** Calls refused without reaching the server because the breaker was open. */
  readonly rejects: number;
  shutdown(): void;
}

/** Error code opossum gives a call refused by an open breaker. */
export const BREAKER_OPEN = "EOPENBREAKER";

/** An opossum 9 breaker around one HTTP attempt: failures (not rejected answers) count toward opening. */
export function createBreaker(caller: Caller, options: BreakerOptions = {}): Breaker {
  const settings = { ...BREAKER_DEFAULTS, ...options };
  for (const [name, value] of Object.entries(settings)) {
    if (!(Number.isFinite(value) && value >= 0)) throw new Error(`invalid breaker.${name}: ${value}`);
  }
  const breaker = new CircuitBreaker(caller, {
    ...settings,
    // Timeouts are the caller's (it aborts the request); opossum's would leave the request running.
    timeout: false,
    rollingCountBuckets: 10,
    name: "llm",
  });
  const transitions: BreakerState[] = [];
  let rejects = 0;
  breaker.on("open", () => transitions.push("open"));
  breaker.on("halfOpen", () => transitions.push("half-open"));
  breaker.on("close", () => transitions.push("closed"));
  breaker.on("reject", () => rejects++);
  return {
    fire: (prompt) => breaker.fire(prompt),
    get state(): BreakerState {
      return breaker.opened ? "open" : breaker.halfOpen ? "half-open" : "closed";
    },
    transitions,
    get rejects() {
      return rejects;
    },
    shutdown: () => breaker.shutdown(),
  };
}

/** True for the error an open breaker answers with. */
export function isBreakerOpen(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === BREAKER_OPEN;
}
