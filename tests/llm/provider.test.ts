import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import {
  describeProvider,
  providerIdentity,
  readEnv,
  resolveProvider,
  secretOf,
  secretsOf,
} from "../../data-loaders/llm/provider.js";

const KEY = "sk-test-provider-SECRET-42";

describe("resolveProvider", () => {
  it("returns null when nothing is configured", () => {
    assert.equal(resolveProvider({}), null);
    assert.equal(resolveProvider({ LLM_MODEL: "x", PATH: "/bin" }), null);
  });

  it("resolves Together from TOGETHER_API_KEY with the EngageTrack default model", () => {
    const c = resolveProvider({ TOGETHER_API_KEY: KEY })!;
    assert.equal(c.provider, "together");
    assert.equal(c.baseURL, "https://api.together.xyz/v1");
    assert.equal(c.model, "meta-llama/Llama-3.3-70B-Instruct-Turbo");
    assert.equal(c.apiKey, KEY);
  });

  it("resolves the Hugging Face router from HF_TOKEN or HUGGINGFACEHUB_API_TOKEN", () => {
    for (const name of ["HF_TOKEN", "HUGGINGFACEHUB_API_TOKEN"]) {
      const c = resolveProvider({ [name]: KEY, LLM_MODEL: "microsoft/Phi-3.5-mini-instruct" })!;
      assert.equal(c.provider, "huggingface");
      assert.equal(c.baseURL, "https://router.huggingface.co/v1");
      assert.equal(c.model, "microsoft/Phi-3.5-mini-instruct");
      assert.equal(c.apiKey, KEY);
    }
  });

  it("resolves Ollama without a key", () => {
    const c = resolveProvider({ LLM_PROVIDER: "ollama" })!;
    assert.equal(c.baseURL, "http://localhost:11434/v1");
    assert.equal(c.model, "llama3.2");
  });

  it("treats LLM_BASE_URL as a self-hosted OpenAI-compatible server (vLLM, llama.cpp) and needs LLM_MODEL", () => {
    const c = resolveProvider({ LLM_BASE_URL: "http://gpu:8000/v1/", LLM_MODEL: "Qwen/Qwen2.5-7B-Instruct" })!;
    assert.equal(c.provider, "openai-compatible");
    assert.equal(c.baseURL, "http://gpu:8000/v1");
    assert.throws(() => resolveProvider({ LLM_BASE_URL: "http://gpu:8000/v1" }), /LLM_MODEL is required/);
  });

  it("lets LLM_API_KEY, LLM_MODEL and LLM_BASE_URL override a provider's defaults", () => {
    const env = {
      LLM_PROVIDER: "Together",
      LLM_API_KEY: KEY,
      TOGETHER_API_KEY: "other",
      LLM_MODEL: "m",
      LLM_BASE_URL: "http://x/v1",
    };
    const c = resolveProvider(env)!;
    assert.deepEqual(
      { ...c, apiKey: c.apiKey },
      { provider: "together", baseURL: "http://x/v1", model: "m", apiKey: KEY },
    );
  });

  it("returns null for a hosted provider without its key (CI without the secret)", () => {
    assert.equal(resolveProvider({ LLM_PROVIDER: "together" }), null);
    assert.equal(resolveProvider({ LLM_PROVIDER: "huggingface", OPENAI_API_KEY: KEY }), null);
  });

  it("uses api.openai.com for OPENAI_API_KEY alone", () => {
    const c = resolveProvider({ OPENAI_API_KEY: KEY })!;
    assert.equal(c.baseURL, "https://api.openai.com/v1");
    assert.equal(c.model, "gpt-4o-mini");
  });

  it("names the bad value in its errors", () => {
    assert.throws(() => resolveProvider({ LLM_PROVIDER: "bogus" }), /invalid LLM_PROVIDER: "bogus"/);
    assert.throws(() => resolveProvider({ LLM_BASE_URL: "not a url", LLM_MODEL: "m" }), /invalid LLM_BASE_URL: not an/);
    assert.throws(() => resolveProvider({ LLM_API_KEY: KEY }), /LLM_API_KEY is set/);
  });

  it("never exposes the key through JSON, spreading, inspection or the description", () => {
    const c = resolveProvider({ TOGETHER_API_KEY: KEY })!;
    assert.ok(!JSON.stringify(c).includes(KEY));
    assert.ok(!JSON.stringify({ ...c }).includes(KEY));
    assert.ok(!String(Object.keys(c)).includes("apiKey"));
    assert.ok(!describeProvider(c).includes(KEY));
  });
});

describe("credentials in LLM_BASE_URL", () => {
  const CANARY = "canary-4f1e9b7d2c";

  it("refuses user info without repeating it, and names where the token belongs", () => {
    for (const url of [`http://user:${CANARY}@gpu:8000/v1`, `https://${CANARY}@gpu/v1`]) {
      assert.throws(
        () => resolveProvider({ LLM_BASE_URL: url, LLM_MODEL: "m" }),
        (error: Error) => /carries credentials.*LLM_API_KEY/.test(error.message) && !error.message.includes(CANARY),
      );
    }
  });

  it("accepts http and https only, before anything else runs", () => {
    for (const url of ["file:///etc/passwd", "javascript:alert(1)", "ftp://host/v1", "data:text/plain,x"]) {
      assert.throws(() => resolveProvider({ LLM_BASE_URL: url, LLM_MODEL: "m" }), /scheme must be http or https/);
    }
  });

  it("keeps query parameters out of the public URL, the identity, the description and JSON", () => {
    const c = resolveProvider({
      LLM_BASE_URL: `http://gw:8000/v1/?api-key=${CANARY}&api-version=2024`,
      LLM_MODEL: "m",
    })!;
    assert.equal(c.baseURL, "http://gw:8000/v1");
    assert.deepEqual({ ...c.query }, { "api-key": CANARY, "api-version": "2024" });
    assert.equal(providerIdentity(c), "openai-compatible|http://gw:8000/v1?api-key=…&api-version=…|m");
    for (const text of [providerIdentity(c), describeProvider(c), JSON.stringify(c), JSON.stringify({ ...c })]) {
      assert.ok(!text.includes(CANARY), text);
    }
    assert.deepEqual(secretsOf(c), [CANARY, "2024"]);
  });

  it("an error about the model does not repeat the query either", () => {
    assert.throws(
      () => resolveProvider({ LLM_BASE_URL: `http://gw/v1?key=${CANARY}` }),
      (error: Error) => /LLM_MODEL is required with LLM_BASE_URL=http:\/\/gw\/v1$/.test(error.message),
    );
  });
});

describe("readEnv", () => {
  it("overlays the real environment on a .env file and leaves process.env alone", () => {
    const dir = mkdtempSync(join(tmpdir(), "llm-env-"));
    const path = join(dir, ".env");
    writeFileSync(path, "LLM_PROVIDER=together\nTOGETHER_API_KEY=from-file\nLLM_MODEL=file-model\n");
    const env = readEnv(path, { LLM_MODEL: "real-model" });
    assert.equal(env.TOGETHER_API_KEY, "from-file");
    assert.equal(env.LLM_MODEL, "real-model");
    assert.equal(process.env.TOGETHER_API_KEY, undefined);
    assert.deepEqual(readEnv(join(dir, "missing.env"), { A: "1" }), { A: "1" });
  });
});

describe("secretOf", () => {
  it("guards real keys but not short placeholders that would match ordinary words", () => {
    assert.equal(secretOf(resolveProvider({ TOGETHER_API_KEY: KEY })), KEY);
    assert.equal(secretOf(resolveProvider({ LLM_PROVIDER: "ollama", LLM_API_KEY: "ollama" })), null);
    assert.equal(secretOf(resolveProvider({ LLM_PROVIDER: "ollama" })), null);
    assert.equal(secretOf(null), null);
  });
});
