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
}

/** Sends one prompt, once. Throws CallFailure; retries and the breaker live a level up. */
export type Caller = (prompt: Prompt) => Promise<Completion>;

/** A caller for an OpenAI-compatible chat-completions endpoint, with a hard per-call deadline. */
export function createCaller(config: ProviderConfig, { timeoutMs }: { timeoutMs: number }): Caller {
  if (!(timeoutMs > 0)) throw new Error(`invalid timeoutMs: ${timeoutMs}`);
  const client = new OpenAI({
    apiKey: config.apiKey,
    baseURL: config.baseURL,
    // The base URL's query parameters (a gateway's key, an API version), kept out of the public baseURL.
    defaultQuery: Object.keys(config.query).length ? { ...config.query } : undefined,
    // Our retry policy, not the client's: retries must be bounded, jittered reproducibly and counted.
    maxRetries: 0,
    timeout: timeoutMs,
    logLevel: "off",
  });
  return async (prompt) => {
    // The client's timeout stops at the response headers; this signal also bounds reading the body.
    const controller = new AbortController();
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
      throw classify(error, timedOut);
    } finally {
      clearTimeout(timer);
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
  return { text: content ?? "", finishReason: choice.finish_reason ?? null };
}
