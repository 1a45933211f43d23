import { createBreaker, type BreakerOptions } from "./breaker.js";
import { callWithRetries, type CallState } from "./call-with-retries.js";
import { cacheDirFrom, cacheKey, DEFAULT_CACHE_DIR, MessageCache, type CacheEntry } from "./cache.js";
import { createCaller, MAX_RESPONSE_BYTES } from "./client.js";
import { fallbackMessage, type FallbackNudge } from "./fallback.js";
import { mentionedFacts } from "./grounding.js";
import { limit } from "./limit.js";
import { buildPrompt } from "./prompts.js";
import { describeProvider, readEnv, resolveProvider, secretsOf } from "./provider.js";
import { emptySummary, increment, progressLine, summaryLines, type Summary } from "./summary.js";
import type { FallbackReason, Message, MessageKind, NudgeFacts, OfferFacts } from "./types.js";
import { rulesFor, validateMessage } from "./validate.js";

export interface GenerateOptions {
  /** Environment to resolve the provider from; default process.env over the repository's .env. */
  env?: Record<string, string | undefined>;
  /** Folder of the committed cache; default $LLM_CACHE_DIR from `env`, else llm-cache/ at the repository root. */
  cacheDir?: string;
  /** How many of the highest-risk customers may get an LLM call (top-K). */
  budget?: number;
  /** Hard cap on HTTP requests this run, retries included; default 2 × budget. */
  maxCalls?: number;
  /**
   * Cap on the tokens this run may spend (the servers' `usage.total_tokens`, else an estimate); no call starts once it
   * is reached. Default 1,000 × maxCalls: a nudge call takes about 500, so only a server billing far more than its
   * prompt and max_tokens allow reaches it.
   */
  maxTokens?: number;
  concurrency?: number;
  /** Deadline of one HTTP attempt, body included. */
  timeoutMs?: number;
  /**
   * Deadline of the whole LLM stage of this call, counted from the first call: no attempt starts after it, those in
   * flight are aborted, and every customer not yet answered gets the fallback (reason `deadline`). Answers already
   * received stay (and are in the cache file already).
   */
  deadlineMs?: number;
  /** Largest response body read from the provider (bytes); a larger one is cut off (failure `too-large`). */
  maxResponseBytes?: number;
  /** Retries after the first attempt, for 429/5xx/network failures only. */
  maxRetries?: number;
  /** First backoff step and its ceiling; the step doubles each retry. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Longest Retry-After honoured; a server asking for more is not retried (waiting less would 429 again). */
  retryAfterCapMs?: number;
  breaker?: BreakerOptions;
  /** Drop cache entries this run did not use (after a prompt change). */
  prune?: boolean;
  /** Where progress and the summary go; default stderr. */
  log?: (line: string) => void;
  progressEveryMs?: number;
}

export const DEFAULTS: Required<
  Pick<
    GenerateOptions,
    | "budget"
    | "concurrency"
    | "timeoutMs"
    | "deadlineMs"
    | "maxResponseBytes"
    | "maxRetries"
    | "retryBaseMs"
    | "retryMaxMs"
    | "retryAfterCapMs"
    | "progressEveryMs"
  >
> = {
  budget: 200,
  concurrency: 4,
  timeoutMs: 15_000,
  // 200 answers at 4 at a time take about a minute at a normal 1-2 s each; a provider at 14 s an answer would take
  // 12 minutes (23 with retries), so the stage stops at 5 and the rest of the build carries on with fallbacks.
  deadlineMs: 300_000,
  maxResponseBytes: MAX_RESPONSE_BYTES,
  maxRetries: 2,
  retryBaseMs: 500,
  retryMaxMs: 8_000,
  retryAfterCapMs: 20_000,
  progressEveryMs: 2_000,
};

/** The default token budget per allowed call (maxTokens = this × maxCalls). */
export const TOKENS_PER_CALL = 1_000;

const stderr = (line: string) => void process.stderr.write(line + "\n");
// "No provider" is said once per log sink (once per build with the default sink), not once per kind.
const warnedNoProvider = new WeakSet<(line: string) => void>();

export interface GenerateResult {
  messages: Record<string, Message>;
  summary: Summary;
}

type Item = { id: string; facts: NudgeFacts | OfferFacts };

/**
 * One message per item, whatever happens: from the cache, the LLM (top-K risk only) or the fallback
 * library, each with provenance. Never throws because of the provider; throws on invalid input.
 */
export async function generateMessages(
  kind: MessageKind,
  items: Item[],
  options: GenerateOptions = {},
): Promise<GenerateResult> {
  if (kind !== "nudge" && kind !== "offer") throw new Error(`invalid kind: ${JSON.stringify(kind)}`);
  const o = { ...DEFAULTS, ...definedOnly(options) };
  checkItems(items);
  for (const name of ["budget", "maxRetries"] as const) {
    if (!Number.isInteger(o[name]) || o[name] < 0) throw new Error(`invalid ${name}: ${o[name]}`);
  }
  for (const name of ["concurrency", "timeoutMs", "deadlineMs", "maxResponseBytes", "progressEveryMs"] as const) {
    if (!(o[name] >= 1)) throw new Error(`invalid ${name}: ${o[name]}`);
  }
  const maxCalls = options.maxCalls ?? 2 * o.budget;
  if (!Number.isInteger(maxCalls) || maxCalls < 0) throw new Error(`invalid maxCalls: ${maxCalls}`);
  const maxTokens = options.maxTokens ?? TOKENS_PER_CALL * maxCalls;
  if (!(maxTokens >= 0)) throw new Error(`invalid maxTokens: ${maxTokens}`);

  const env = options.env ?? readEnv();
  const provider = resolveProvider(env);
  const secrets = secretsOf(provider);
  const log = redacting(options.log ?? stderr, secrets);
  const started = Date.now();
  const summary = emptySummary(kind, provider && `${provider.provider} ${provider.model}`, items.length);
  summary.budget = { customers: Math.min(o.budget, items.length), maxCalls, maxTokens };
  const cacheDir = options.cacheDir ?? cacheDirFrom(env);
  if (!provider && !warnedNoProvider.has(options.log ?? stderr)) {
    warnedNoProvider.add(options.log ?? stderr);
    const from = cacheDir === DEFAULT_CACHE_DIR ? "llm-cache/" : cacheDir;
    log(`llm: no provider configured (see docs/llm.md): messages come from ${from} and the fallback library`);
  } else if (provider) {
    log(`llm ${kind}: provider ${describeProvider(provider)}`);
  }

  const cache = MessageCache.load(cacheDir, kind);
  let reported = 0;
  const reportDropped = () => {
    for (const line of cache.dropped.slice(reported)) log(`llm ${kind}: cache entry ${line}`);
    reported = cache.dropped.length;
  };
  reportDropped();
  // Every answer is written as it arrives (atomically), so a run killed half-way keeps what it paid for.
  let saveFailed = false;
  const persist = (keep?: Set<string>): boolean => {
    try {
      return cache.save({ keep, secrets });
    } catch (error) {
      // The messages are complete either way; a read-only checkout must not fail the build.
      if (!saveFailed) log(`llm ${kind}: cache not written: ${(error as Error).message}`);
      saveFailed = true;
      return false;
    }
  };
  const used = new Set<string>();
  const messages = new Map<string, Message>();
  const prompts = new Map(items.map((it) => [it.id, buildPrompt(kind, it.facts)]));
  const rules = new Map(items.map((it) => [it.id, rulesFor(kind, it.facts)]));
  // Computed up front: invalid facts fail here, before any paid call, and never half-way through a run.
  const fallbacks = new Map(items.map((it) => [it.id, fallbackMessage(kind, it.id, it.facts)]));

  const settle = (id: string, message: Message) => {
    messages.set(id, message);
    summary.bySource[message.provenance.source]++;
    if (message.provenance.reason) increment(summary.fallbackReasons, message.provenance.reason);
  };
  const fallback = (item: Item, reason: FallbackReason) => {
    const prompt = prompts.get(item.id)!;
    const { text, template } = fallbacks.get(item.id)!;
    settle(item.id, {
      text,
      provenance: {
        source: "fallback",
        provider: null,
        model: null,
        requestedModel: null,
        promptHash: prompt.hash,
        promptVersion: prompt.version,
        generatedAt: null,
        reason,
        template,
      },
    });
  };

  // 1. The cache serves everyone it can, eligible for the budget or not: reuse costs nothing.
  const misses: Item[] = [];
  for (const item of items) {
    const prompt = prompts.get(item.id)!;
    const lookup = () =>
      provider ? cache.get(cacheKey(provider.provider, provider.model, prompt)) : cache.findByPrompt(prompt.hash);
    // An entry failing its own prompt's caps fails them for every customer with that prompt: it is dropped for good
    // (and the next-newest answer to the prompt, if any, is tried).
    let entry = lookup();
    while (entry) {
      const checked = validateMessage(entry.text, rules.get(item.id)!);
      if (checked.ok) {
        used.add(entry.key);
        settle(item.id, { text: checked.text, provenance: fromEntry(entry, "cache") });
        break;
      }
      cache.drop(entry.key, `rejected:${checked.reason}`);
      entry = lookup();
    }
    if (!entry) misses.push(item);
  }
  reportDropped();

  // 2. Only the top-K customers by risk may reach the LLM; the rest get the fallback library.
  const eligible = new Set(rankByRisk(items).slice(0, o.budget));
  const toCall = provider ? rankByRisk(misses).filter((item) => eligible.has(item)) : [];
  const calling = new Set(toCall);
  for (const item of misses) if (!calling.has(item)) fallback(item, provider ? "budget" : "no-provider");

  // 3. The calls: bounded concurrency, retries with backoff, a breaker, a call budget.
  let added = 0;
  if (provider && toCall.length > 0) {
    const stage = new AbortController();
    const deadline = setTimeout(() => {
      log(`llm ${kind}: deadline of ${o.deadlineMs} ms reached: the customers not answered yet get the fallback`);
      stage.abort();
    }, o.deadlineMs);
    deadline.unref();
    const caller = createCaller(provider, {
      timeoutMs: o.timeoutMs,
      maxResponseBytes: o.maxResponseBytes,
      signal: stage.signal,
    });
    const breaker = createBreaker(caller, options.breaker);
    const progress = setInterval(() => log(progressLine(summary, messages.size)), o.progressEveryMs);
    progress.unref();
    const state: CallState = { calls: 0, maxCalls, tokens: 0, maxTokens, deadline: stage.signal };
    const run = limit(o.concurrency);
    try {
      await Promise.all(
        toCall.map((item) =>
          run(async () => {
            const prompt = prompts.get(item.id)!;
            const outcome = await callWithRetries(prompt, item.id, breaker, state, summary, o);
            if (typeof outcome === "string") return fallback(item, outcome);
            const checked = validateMessage(outcome.text, rules.get(item.id)!);
            // A cut-off answer ("length") is incomplete even when it happens to pass the other rules.
            if (!checked.ok || outcome.finishReason === "length") {
              const reason = checked.ok ? "too-long" : checked.reason;
              increment(summary.rejections, reason);
              return fallback(item, `rejected:${reason}`);
            }
            const entry: CacheEntry = {
              key: cacheKey(provider.provider, provider.model, prompt),
              kind,
              provider: provider.provider,
              model: provider.model,
              ...(outcome.model !== null && { responseModel: outcome.model }),
              promptVersion: prompt.version,
              promptHash: prompt.hash,
              params: prompt.params,
              text: checked.text,
              generatedAt: new Date().toISOString(),
            };
            cache.put(entry);
            used.add(entry.key);
            added++;
            persist();
            settle(item.id, { text: entry.text, provenance: fromEntry(entry, "llm") });
          }),
        ),
      );
    } finally {
      clearTimeout(deadline);
      clearInterval(progress);
      summary.calls = state.calls;
      summary.tokens = state.tokens;
      summary.breaker = { state: breaker.state, transitions: [...breaker.transitions], rejects: breaker.rejects };
      breaker.shutdown();
    }
  }

  const written = persist(options.prune ? used : undefined) || (added > 0 && !saveFailed);
  summary.cache = { entries: cache.size, added, dropped: cache.dropped.length, written };
  for (const line of summaryLines(summary, Date.now() - started)) log(line);
  const grounded = (id: string): Message => {
    const message = messages.get(id)!;
    if (kind !== "nudge") return message;
    if (message.provenance.source === "fallback") {
      const { facts, because } = fallbacks.get(id) as FallbackNudge;
      return { ...message, facts, because };
    }
    // An LLM text passed the grounding check: it names only given facts; these are the ones it names.
    const facts = mentionedFacts(message.text, rules.get(id)!.facts ?? []);
    const names = facts.map((f) => (f.key === "action" ? `suggested: ${f.phrase}` : `${f.key}: ${f.value}`));
    return { ...message, facts, because: `Written from ${names.join("; ") || "the customer's plan"}.` };
  };
  return { messages: Object.fromEntries(items.map((it) => [it.id, grounded(it.id)])), summary };
}

function rankByRisk(items: Item[]): Item[] {
  return [...items].sort((a, b) => b.facts.churnProbability - a.facts.churnProbability || (a.id < b.id ? -1 : 1));
}

function fromEntry(entry: CacheEntry, source: "llm" | "cache"): Message["provenance"] {
  return {
    source,
    provider: entry.provider,
    model: entry.responseModel ?? entry.model,
    requestedModel: entry.model,
    promptHash: entry.promptHash,
    promptVersion: entry.promptVersion,
    generatedAt: entry.generatedAt,
    reason: null,
    template: null,
  };
}

function checkItems(items: Item[]): void {
  if (!Array.isArray(items)) throw new Error(`invalid items: ${typeof items}`);
  const seen = new Set<string>();
  for (const item of items) {
    if (typeof item?.id !== "string" || item.id === "") throw new Error(`invalid item id: ${JSON.stringify(item?.id)}`);
    if (seen.has(item.id)) throw new Error(`duplicate item id: ${item.id}`);
    seen.add(item.id);
    const p = item.facts?.churnProbability;
    if (!(p >= 0 && p <= 1)) throw new Error(`invalid churnProbability for ${item.id}: ${p}`);
  }
}

/** A log sink that can never print a credential, whatever a library's error message contains. */
function redacting(log: (line: string) => void, secrets: string[]): (line: string) => void {
  if (secrets.length === 0) return log;
  return (line) => log(secrets.reduce((text, secret) => text.split(secret).join("***"), line));
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
