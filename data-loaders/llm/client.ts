import OpenAI from "openai";
import type { ChatCompletion } from "openai/resources/chat/completions";
import type { Prompt } from "./prompts.js";
import type { ProviderConfig } from "./provider.js";
import { CallFailure, classify } from "./retry.js";

/** What one successful HTTP attempt returned: the raw text (still to be validated). */
export interface Completion {
  text: string;
  /** "length" means the model was cut off: the text is incomplete. */
  finishReason: string | null;
  /** The model the server says answered (its `model` field), which may differ from the one asked for; null if absent. */
  model: string | null;
  /** Tokens the server billed for the call (`usage.total_tokens`); null when it did not say. */
  tokens: number | null;
}

/**
 * Largest response body read from the provider, in bytes after decompression. A chat completion of 160 tokens is
 * about 1 KB; past the limit the connection is cut, so a 50 MB (or endless) reply costs at most this much memory.
 */
export const MAX_RESPONSE_BYTES = 256 * 1024;

/** Options of one caller: the per-attempt deadline, the body limit, and a signal that ends every attempt at once. */
export interface CallerOptions {
  timeoutMs: number;
  maxResponseBytes?: number;
  /** Aborting it (the message stage's deadline) ends any attempt in flight with a `deadline` failure. */
  signal?: AbortSignal;
}

/** Sends one prompt, once. Throws CallFailure; retries and the breaker live a level up. */
export type Caller = (prompt: Prompt) => Promise<Completion>;

/** A caller for an OpenAI-compatible chat-completions endpoint, with a hard per-call deadline and body limit. */
export function createCaller(
  config: ProviderConfig,
  { timeoutMs, maxResponseBytes = MAX_RESPONSE_BYTES, signal: stage }: CallerOptions,
): Caller {
  if (!(timeoutMs > 0)) throw new Error(`invalid timeoutMs: ${timeoutMs}`);
  if (!(Number.isInteger(maxResponseBytes) && maxResponseBytes > 0)) {
    throw new Error(`invalid maxResponseBytes: ${maxResponseBytes}`);
  }
  const client = new OpenAI({
    apiKey: config.apiKey,
    baseURL: config.baseURL,
    // The base URL's query parameters (a gateway's key, an API version), kept out of the public baseURL.
    defaultQuery: Object.keys(config.query).length ? { ...config.query } : undefined,
    // Our retry policy, not the client's: retries must be bounded, jittered reproducibly and counted.
    maxRetries: 0,
    timeout: timeoutMs,
    logLevel: "off",
    fetch: boundedFetch(maxResponseBytes),
  });
  return async (prompt) => {
    if (stage?.aborted) throw new CallFailure("deadline", "the message stage's deadline has passed");
    // The client's timeout stops at the response headers; this signal also bounds reading the body.
    const controller = new AbortController();
    const onStageEnd = () => controller.abort();
    stage?.addEventListener("abort", onStageEnd);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    let response: ChatCompletion;
    try {
      response = await client.chat.completions.create(
        { model: config.model, messages: prompt.messages, ...prompt.params },
        { signal: controller.signal },
      );
    } catch (error) {
      if (stage?.aborted && !timedOut) throw new CallFailure("deadline", "the message stage's deadline has passed");
      throw classify(error, timedOut);
    } finally {
      clearTimeout(timer);
      stage?.removeEventListener("abort", onStageEnd);
    }
    return readCompletion(response);
  };
}

/** Checks the response's shape: a server may answer 200 with anything. */
export function readCompletion(response: unknown): Completion {
  const choice = (response as ChatCompletion | null)?.choices?.[0];
  if (typeof response !== "object" || response === null || !choice || typeof choice.message !== "object") {
    throw new CallFailure("malformed-response", `no choices[0].message in ${JSON.stringify(response)?.slice(0, 80)}`);
  }
  const content = choice.message.content;
  if (content !== null && content !== undefined && typeof content !== "string") {
    throw new CallFailure("malformed-response", `non-text content: ${typeof content}`);
  }
  const model = (response as { model?: unknown }).model;
  // The model name goes into provenance and the cache: a printable line of sane length, or the answer is malformed.
  if (model !== undefined && model !== null && !(typeof model === "string" && /^[\x20-\x7E]{1,256}$/.test(model))) {
    throw new CallFailure("malformed-response", `invalid model field: ${JSON.stringify(model)?.slice(0, 80)}`);
  }
  const total = (response as ChatCompletion).usage?.total_tokens;
  const tokens = typeof total === "number" && Number.isFinite(total) && total >= 0 ? total : null;
  return { text: content ?? "", finishReason: choice.finish_reason ?? null, model: model ?? null, tokens };
}

/**
 * fetch with a cap on the response body: a declared Content-Length over the cap is refused before reading, and the
 * body stream errors (cancelling the connection) as soon as the bytes read pass it, whatever the headers said.
 */
export function boundedFetch(maxBytes: number, inner: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    const response = await inner(input, init);
    const declared = Number(response.headers.get("content-length") ?? NaN);
    const tooLarge = (size: string) =>
      new CallFailure("too-large", `response body of ${size} bytes is over the ${maxBytes}-byte limit`);
    if (declared > maxBytes) {
      await response.body?.cancel().catch(() => {});
      throw tooLarge(String(declared));
    }
    if (!response.body) return response;
    let seen = 0;
    const limited = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          seen += chunk.byteLength;
          if (seen > maxBytes) controller.error(tooLarge(`more than ${maxBytes}`));
          else controller.enqueue(chunk);
        },
      }),
    );
    return new Response(limited, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}
