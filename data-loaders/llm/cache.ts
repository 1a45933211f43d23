import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { sha256, stableStringify } from "./hash.js";
import type { Prompt, PromptParams } from "./prompts.js";
import type { MessageKind } from "./types.js";
import { contentRulesFor, validateMessage } from "./validate.js";

/** One validated LLM answer, addressed by everything that determined it. */
export interface CacheEntry {
  /** sha256 of {provider, model, version, messages, params}. */
  key: string;
  kind: MessageKind;
  provider: string;
  /** The model asked for (part of the key). */
  model: string;
  /** The model the server said answered (its response's `model` field), when it said. */
  responseModel?: string;
  promptVersion: string;
  promptHash: string;
  params: PromptParams;
  text: string;
  /** ISO time of the LLM call that produced the text. */
  generatedAt: string;
}

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** The committed cache: llm-cache/ at the repository root. */
export const DEFAULT_CACHE_DIR = join(REPO_ROOT, "llm-cache");

/**
 * The cache folder a build reads and writes: `LLM_CACHE_DIR` (absolute, or relative to the repository root) if
 * set, else the committed llm-cache/. The pipeline's content-addressed key hashes this same folder
 * (data-loaders/artifacts.ts), so both must resolve it here.
 */
export function cacheDirFrom(env: Record<string, string | undefined>): string {
  const dir = env.LLM_CACHE_DIR?.trim();
  return dir ? resolve(REPO_ROOT, dir) : DEFAULT_CACHE_DIR;
}

/** The content address of an answer: provider, model, template version, full prompt, sampling parameters. */
export function cacheKey(provider: string, model: string, prompt: Prompt): string {
  return sha256({ provider, model, version: prompt.version, messages: prompt.messages, params: prompt.params });
}

/**
 * The committed cache of one kind: `<dir>/<kind>.jsonl`, one entry a line, sorted by key, keys sorted. Holds only
 * text that passes validation: entries read from the file are checked again (the rules may have grown stricter, the
 * file may have been edited) and a failing one is dropped, never served; `put` refuses one.
 */
export class MessageCache {
  private readonly byKey = new Map<string, CacheEntry>();
  private readonly byPrompt = new Map<string, CacheEntry>();
  private original: string;
  /** Why each entry was dropped, one line each (`<file>:<line>: key <key…> dropped: <reason>`), for the build log. */
  readonly dropped: string[] = [];
  private readonly lineOf = new Map<string, number>();

  private constructor(
    readonly path: string,
    readonly kind: MessageKind,
  ) {
    this.original = existsSync(path) ? readFileSync(path, "utf8") : "";
    this.original.split("\n").forEach((line, i) => {
      if (line.trim() === "") return;
      let entry: CacheEntry;
      try {
        entry = JSON.parse(line);
      } catch {
        throw new Error(`invalid cache line ${path}:${i + 1}: ${line.slice(0, 60)}`);
      }
      if (typeof entry.key !== "string" || typeof entry.text !== "string" || entry.kind !== kind) {
        throw new Error(`invalid cache entry ${path}:${i + 1}: ${line.slice(0, 60)}`);
      }
      this.lineOf.set(entry.key, i + 1);
      const problem = invalidText(entry);
      if (problem) this.dropped.push(`${path}:${i + 1}: key ${entry.key.slice(0, 12)}… dropped: ${problem}`);
      else this.add(entry);
    });
  }

  /** Loads `<dir>/<kind>.jsonl` (a missing file is an empty cache). */
  static load(dir: string, kind: MessageKind): MessageCache {
    return new MessageCache(join(dir, `${kind}.jsonl`), kind);
  }

  get size(): number {
    return this.byKey.size;
  }

  /** The exact answer for this provider, model and prompt. */
  get(key: string): CacheEntry | undefined {
    return this.byKey.get(key);
  }

  /**
   * Any provider's answer to this prompt, for builds without a provider. With several, the newest wins
   * (then the smallest key), so the choice depends on the file only.
   */
  findByPrompt(promptHash: string): CacheEntry | undefined {
    return this.byPrompt.get(promptHash);
  }

  /** Adds a validated answer; throws on one that fails validation, so nothing unchecked is ever written. */
  put(entry: CacheEntry): void {
    if (entry.kind !== this.kind) throw new Error(`invalid cache entry kind: ${entry.kind} (cache holds ${this.kind})`);
    const problem = invalidText(entry);
    if (problem) throw new Error(`refusing to cache key ${entry.key.slice(0, 12)}…: ${problem}`);
    this.add(entry);
  }

  /** Removes an entry that failed a check at use (a cap in its own prompt), so it is neither served nor saved. */
  drop(key: string, reason: string): void {
    const entry = this.byKey.get(key);
    if (!entry) return;
    this.byKey.delete(key);
    const line = this.lineOf.get(key);
    this.dropped.push(
      `${line === undefined ? this.path : `${this.path}:${line}`}: key ${key.slice(0, 12)}… dropped: ${reason}`,
    );
    if (this.byPrompt.get(entry.promptHash) !== entry) return;
    this.byPrompt.delete(entry.promptHash);
    for (const other of this.byKey.values()) {
      const current = this.byPrompt.get(other.promptHash);
      if (other.promptHash === entry.promptHash && (!current || newer(other, current))) {
        this.byPrompt.set(other.promptHash, other);
      }
    }
  }

  /**
   * Writes the file if its content changed, atomically (temp file + rename) so an interrupted build never
   * leaves half a cache. `keep` prunes to the given keys. Refuses to write any of `secrets`.
   */
  save({ keep, secrets = [] }: { keep?: Set<string>; secrets?: string[] } = {}): boolean {
    const entries = [...this.byKey.values()].filter((e) => !keep || keep.has(e.key));
    entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const text = entries.map((e) => stableStringify(e) + "\n").join("");
    for (const secret of secrets) {
      if (secret && text.includes(secret)) throw new Error(`refusing to write a secret into ${this.path}`);
    }
    if (text === this.original) return false;
    mkdirSync(join(this.path, ".."), { recursive: true });
    const temp = `${this.path}.${process.pid}.tmp`;
    try {
      writeFileSync(temp, text);
      renameSync(temp, this.path);
      this.original = text;
    } finally {
      rmSync(temp, { force: true });
    }
    return true;
  }

  private add(entry: CacheEntry): void {
    this.byKey.set(entry.key, entry);
    const current = this.byPrompt.get(entry.promptHash);
    if (!current || newer(entry, current)) this.byPrompt.set(entry.promptHash, entry);
  }
}

/** Why an entry's text may not be cached (the rules every text of its kind must pass), or null. */
function invalidText(entry: CacheEntry): string | null {
  if (entry.responseModel !== undefined && typeof entry.responseModel !== "string") return "invalid responseModel";
  const checked = validateMessage(entry.text, contentRulesFor(entry.kind));
  if (!checked.ok) return `rejected:${checked.reason}`;
  // Answers are cached normalised; other text was not written by this code.
  return checked.text === entry.text ? null : "text is not in normalised form";
}

function newer(a: CacheEntry, b: CacheEntry): boolean {
  return a.generatedAt !== b.generatedAt ? a.generatedAt > b.generatedAt : a.key < b.key;
}
