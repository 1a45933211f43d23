// The LLM message pipeline's public surface: the lead imports from here.
export { generateMessages, DEFAULTS, type GenerateOptions, type GenerateResult } from "./generate.js";
export {
  resolveProvider,
  readEnv,
  describeProvider,
  providerIdentity,
  type ProviderConfig,
  type ProviderName,
} from "./provider.js";
export { PROMPT_VERSION, MAX_LENGTH, PARAMS, buildPrompt, nudgePrompt, offerPrompt, type Prompt } from "./prompts.js";
export {
  validateMessage,
  rulesFor,
  contentRulesFor,
  type ValidationRules,
  type Validation,
  type Currency,
} from "./validate.js";
export { fallbackMessage, fallbackNudge, fallbackOffer } from "./fallback.js";
export { BREAKER_DEFAULTS, type BreakerOptions, type BreakerState } from "./breaker.js";
export type { Summary } from "./summary.js";
export type * from "./types.js";
