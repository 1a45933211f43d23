/**
 * Render the kustomizations with a real kustomize: the standalone `kustomize` if installed, else the one
 * built into kubectl (`kubectl kustomize`). Parsed with js-yaml (already in node_modules through Framework).
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
// @ts-expect-error js-yaml 3 ships no types; only loadAll is used.
import yaml from "js-yaml";

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** A rendered Kubernetes object (only the fields the tests read are typed). */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  // biome-ignore lint/suspicious/noExplicitAny: manifests are read as parsed YAML; each test checks the fields it reads
  spec?: any;
  [key: string]: unknown;
}

function kustomizeCommand(): [string, string[]] {
  for (const dir of (process.env.PATH ?? "").split(":")) {
    if (existsSync(join(dir, "kustomize"))) return [join(dir, "kustomize"), ["build"]];
  }
  for (const dir of (process.env.PATH ?? "").split(":")) {
    if (existsSync(join(dir, "kubectl"))) return [join(dir, "kubectl"), ["kustomize"]];
  }
  throw new Error("neither kustomize nor kubectl is installed: the k8s tests need one (see docs/deploy.md)");
}

/** `kustomize build k8s/<path>` parsed into objects. */
export function render(path: string): K8sObject[] {
  const [command, args] = kustomizeCommand();
  const text = execFileSync(command, [...args, join(root, "k8s", path)], { encoding: "utf8" });
  return (yaml.loadAll(text) as K8sObject[]).filter(Boolean);
}
