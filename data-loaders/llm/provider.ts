import { fileURLToPath } from "node:url";
import { existsSync, readFileSync } from "node:fs";
import { parseEnv } from "node:util";

export type ProviderName = "together" | "huggingface" | "ollama" | "openai-compatible";

/**
 * A resolved provider. `baseURL` carries no credential (no user info, no query string) and is safe to log and
 * record. `apiKey` and `query` (the base URL's query parameters, which proxies and gateways use for keys, as in
 * `?api-key=…`) are non-enumerable properties so that JSON.stringify, console.log and the cache never see them;
 * read them explicitly where the client is built.
 */
export interface ProviderConfig {
  readonly provider: ProviderName;
  readonly baseURL: string;
  readonly model: string;
  readonly apiKey: string;
  readonly query: Readonly<Record<string, string>>;
}

type Env = Record<string, string | undefined>;

interface ProviderDefaults {
  baseURL: string;
  model: string;
  /** Env names holding this provider's key, most specific last (LLM_API_KEY always wins). */
  keyNames: string[];
  /** Local servers accept any key; hosted ones need a real one. */
  keyRequired: boolean;
}

const DEFAULTS: Record<ProviderName, ProviderDefaults> = {
  // The EngageTrack original's model; Together names its serverless endpoint "-Turbo".
  together: {
    baseURL: "https://api.together.xyz/v1",
    model: "meta-llama/Llama-3.3-70B-Instruct-Turbo",
    keyNames: ["TOGETHER_API_KEY"],
    keyRequired: true,
  },
  huggingface: {
    baseURL: "https://router.huggingface.co/v1",
    model: "Qwen/Qwen2.5-7B-Instruct",
    keyNames: ["HF_TOKEN", "HUGGINGFACEHUB_API_TOKEN", "HUGGING_FACE_HUB_TOKEN"],
    keyRequired: true,
  },
  ollama: { baseURL: "http://localhost:11434/v1", model: "llama3.2", keyNames: [], keyRequired: false },
  // vLLM, llama.cpp's server, OpenAI itself: the base URL and model come from the user.
  "openai-compatible": { baseURL: "", model: "", keyNames: ["OPENAI_API_KEY"], keyRequired: false },
};

const OPENAI_BASE_URL = "https://api.openai.com/v1";
const OPENAI_DEFAULT_MODEL = "gpt-4o-mini";
// The openai client refuses an empty key; local servers ignore whatever is sent.
const NO_KEY = "not-needed";

/**
 * The provider the environment configures, or null when none is (then the build uses the cache and
 * the fallback library). Pure: reads only `env`. Throws on a configuration that is present but wrong.
 */
export function resolveProvider(env: Env): ProviderConfig | null {
  const get = (name: string) => nonEmpty(env[name]);
  const explicit = get("LLM_PROVIDER")?.toLowerCase();
  const provider = explicit ?? inferProvider(env);
  if (provider === null) {
    // A key with nowhere to send it is a mistake worth stopping for; a stray LLM_MODEL is harmless.
    if (get("LLM_API_KEY")) throw new Error("LLM_API_KEY is set but neither LLM_PROVIDER nor LLM_BASE_URL is");
    return null;
  }
  if (!isProviderName(provider)) {
    throw new Error(`invalid LLM_PROVIDER: ${JSON.stringify(explicit)} (expected ${Object.keys(DEFAULTS).join(", ")})`);
  }
  const defaults = DEFAULTS[provider];
  const key = get("LLM_API_KEY") ?? defaults.keyNames.map(get).find((v) => v !== undefined);
  if (defaults.keyRequired && key === undefined) return null; // e.g. CI with LLM_PROVIDER but no secret
  let baseURL = get("LLM_BASE_URL") ?? defaults.baseURL;
  let model = get("LLM_MODEL") ?? defaults.model;
  if (provider === "openai-compatible" && !get("LLM_BASE_URL")) {
    if (!get("OPENAI_API_KEY") && !get("LLM_API_KEY")) {
      throw new Error("LLM_PROVIDER=openai-compatible needs LLM_BASE_URL (or OPENAI_API_KEY for api.openai.com)");
    }
    baseURL = OPENAI_BASE_URL;
    model ||= OPENAI_DEFAULT_MODEL;
  }
  const url = parseBaseURL(baseURL);
  if (!model) throw new Error(`LLM_MODEL is required with LLM_BASE_URL=${url.public}`);
  const config = { provider, baseURL: url.public, model } as ProviderConfig;
  Object.defineProperty(config, "apiKey", { value: key ?? NO_KEY, enumerable: false });
  Object.defineProperty(config, "query", { value: Object.freeze(url.query), enumerable: false });
  return Object.freeze(config);
}

/**
 * Splits a base URL into its public part (scheme, host, port, path) and its query parameters. Only http and https
 * are accepted. User info (`user:password@`) is refused: fetch cannot send it and the URL is logged and recorded
 * (the manifest); the token belongs in LLM_API_KEY. Errors never repeat the URL, which may hold a credential.
 */
function parseBaseURL(raw: string): { public: string; query: Record<string, string> } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error("invalid LLM_BASE_URL: not an absolute URL (expected http://host[:port]/path or https://…)");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new Error(`invalid LLM_BASE_URL: the scheme must be http or https, not ${JSON.stringify(url.protocol)}`);
  }
  if (url.username || url.password) {
    throw new Error(
      "invalid LLM_BASE_URL: it carries credentials (user:password@host); put the token in LLM_API_KEY instead",
    );
  }
  const query = Object.fromEntries(url.searchParams);
  const path = url.pathname.replace(/\/+$/, "");
  return { public: `${url.origin}${path}`, query };
}

/** Without LLM_PROVIDER: a base URL means a self-hosted server; otherwise the first provider key found. */
function inferProvider(env: Env): ProviderName | null {
  if (nonEmpty(env.LLM_BASE_URL)) return "openai-compatible";
  if (nonEmpty(env.TOGETHER_API_KEY)) return "together";
  if (DEFAULTS.huggingface.keyNames.some((name) => nonEmpty(env[name]))) return "huggingface";
  if (nonEmpty(env.OPENAI_API_KEY)) return "openai-compatible";
  return null;
}

function isProviderName(name: string): name is ProviderName {
  return Object.hasOwn(DEFAULTS, name);
}

function nonEmpty(value: string | undefined): string | undefined {
  const v = value?.trim();
  return v ? v : undefined;
}

/** The repository's `.env` (one place: the pipeline's cache key, the provider and the generator all read it). */
export const REPO_ENV_FILE = fileURLToPath(new URL("../../.env", import.meta.url));

/**
 * process.env overlaid on a `.env` file if one exists (real environment wins, as with dotenv); by default the
 * repository's, whatever the working directory.
 * Uses util.parseEnv rather than process.loadEnvFile so that process.env is left untouched.
 */
export function readEnv(path = REPO_ENV_FILE, processEnv: Env = process.env): Env {
  if (!existsSync(path)) return { ...processEnv };
  let fileEnv: Env;
  try {
    fileEnv = parseEnv(readFileSync(path, "utf8"));
  } catch (error) {
    throw new Error(`cannot read env file ${path}: ${(error as Error).message}`);
  }
  return { ...fileEnv, ...processEnv };
}

// Real keys are long (Together 64 hex, "hf_" + 34, "sk-" + 48); short ones ("ollama") are placeholders that
// would match ordinary words, so they are not treated as secrets.
const MIN_SECRET_LENGTH = 12;

/** The key if it is a real secret worth guarding (redacting from logs, refusing in the cache), else null. */
export function secretOf(config: ProviderConfig | null): string | null {
  const key = config?.apiKey;
  return key && key !== NO_KEY && key.length >= MIN_SECRET_LENGTH ? key : null;
}

// Query values are redacted from 4 characters on: a gateway's key may be short, and "true"-like flags are rare there.
const MIN_QUERY_SECRET_LENGTH = 4;

/** Every credential-bearing string of a configuration (the key, the base URL's query values): to redact from logs. */
export function secretsOf(config: ProviderConfig | null): string[] {
  if (!config) return [];
  const key = secretOf(config);
  const query = Object.values(config.query).filter((v) => v.length >= MIN_QUERY_SECRET_LENGTH);
  return [...(key ? [key] : []), ...query].sort((a, b) => b.length - a.length);
}

/**
 * Who writes the messages, safe to publish (it goes into the manifest the site serves and into the cache key):
 * provider, public base URL, the names of the query parameters (never their values), model.
 */
export function providerIdentity(config: ProviderConfig | null): string {
  if (!config) return "none";
  const names = Object.keys(config.query).sort();
  return `${config.provider}|${config.baseURL}${names.length ? `?${names.map((n) => `${n}=…`).join("&")}` : ""}|${config.model}`;
}

/** A one-line description for logs: never includes the key or the query values. */
export function describeProvider(config: ProviderConfig | null): string {
  return config ? `${config.provider} ${config.model} at ${config.baseURL}` : "none";
}
