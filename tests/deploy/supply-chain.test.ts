/**
 * What the image build and the pipeline pull from elsewhere is pinned (base images by digest, Actions by commit SHA),
 * the build runs on a supported Node LTS, the image carries an SBOM, and the image's own nginx (1.28; the tests run
 * Debian's 1.22) is checked against the configuration before it is pushed.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
// @ts-expect-error js-yaml 3 ships no types; only load is used.
import yaml from "js-yaml";
import { root } from "./render.js";

const dockerfile = readFileSync(join(root, "Dockerfile"), "utf8");
const workflowText = readFileSync(join(root, ".github/workflows/ci-cd.yaml"), "utf8");
const workflow = yaml.load(workflowText) as {
  jobs: Record<string, { steps: Array<{ uses?: string; run?: string; with?: Record<string, unknown>; id?: string }> }>;
};

/** `FROM <image> [AS name]` lines, minus references to the file's own stages. */
function baseImages(): string[] {
  const stages = new Set<string>();
  const images: string[] = [];
  for (const match of dockerfile.matchAll(/^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/gim)) {
    if (!stages.has(match[1]!)) images.push(match[1]!);
    if (match[2]) stages.add(match[2]);
  }
  return images;
}

/** The Dockerfile's stage called `name`, up to the next FROM. */
function stage(name: string): string {
  const start = dockerfile.search(new RegExp(`^FROM .* AS ${name}$`, "m"));
  assert.ok(start >= 0, `stage ${name} in the Dockerfile`);
  const next = dockerfile.slice(start + 1).search(/^FROM /m);
  return next < 0 ? dockerfile.slice(start) : dockerfile.slice(start, start + 1 + next);
}

describe("Dockerfile", () => {
  it("pins every base image and the syntax frontend by digest", () => {
    const images = baseImages();
    assert.ok(images.length >= 3, images.join(", "));
    for (const image of images) assert.match(image, /^[\w./-]+:[\w.-]+@sha256:[0-9a-f]{64}$/, image);
    assert.match(dockerfile.split("\n")[0]!, /^# syntax=docker\/dockerfile:[\d.]+@sha256:[0-9a-f]{64}$/);
  });

  it("builds with a supported Node LTS (an even major of at least 22; Node 20 is past its end of life)", () => {
    for (const image of baseImages().filter((i) => i.startsWith("node:"))) {
      const major = Number(/^node:(\d+)/.exec(image)?.[1]);
      assert.ok(major >= 22 && major % 2 === 0, `${image}: not a supported LTS`);
    }
  });

  it("produces an npm SBOM in the build and ships it in the image, outside the web root", () => {
    assert.match(stage("deps"), /npm sbom --sbom-format cyclonedx --omit dev > build\/sbom\/\S+\.cdx\.json/);
    const runtime = stage("runtime");
    assert.match(runtime, /COPY --from=deps \/app\/build\/sbom\/ \/usr\/share\/retention-lab\/sbom\//);
    assert.doesNotMatch(runtime, /sbom\S* \/usr\/share\/nginx\/html/, "not published on the site");
  });

  it("builds the audit service image from the same pinned Node, running as uid 101", () => {
    const audit = stage("audit");
    assert.match(audit, /^USER 101$/m);
    assert.match(audit, /CMD \["node", "\/opt\/audit\/audit-service\.mjs"\]/);
  });
});

describe("ci-cd workflow", () => {
  const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);

  it("pins every action to a full commit SHA with its release in a comment", () => {
    const uses = [...workflowText.matchAll(/uses:\s*(\S+)(.*)$/gm)];
    assert.ok(uses.length >= 5);
    for (const [, ref, rest] of uses) {
      assert.match(ref!, /^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/, `${ref}: not pinned to a commit SHA`);
      assert.match(rest!, /^\s+# v\d+\.\d+\.\d+$/, `${ref}: no "# vX.Y.Z" comment`);
    }
  });

  it("pushes images with buildx's SBOM and provenance attestations", () => {
    const pushes = steps.filter((s) => s.uses?.startsWith("docker/build-push-action@") && s.with?.push === true);
    assert.deepEqual(pushes.map((s) => s.with?.target).sort(), ["audit", "runtime"]);
    for (const s of pushes) {
      assert.equal(s.with?.sbom, true, `${s.id}: sbom`);
      assert.equal(s.with?.provenance, true, `${s.id}: provenance`);
    }
  });

  it("checks the image's own nginx (1.28) against the configuration before pushing", () => {
    const image = workflow.jobs.image!.steps;
    const smoke = image.findIndex((s) => /nginx -t/.test(s.run ?? ""));
    const firstPush = image.findIndex((s) => s.with?.push === true);
    assert.ok(smoke >= 0 && smoke < firstPush, "a `nginx -t` step runs in the built image before the push");
    assert.match(image[smoke]!.run!, /healthz/);
    assert.match(image[smoke]!.run!, /api\/audit/);
    const load = image.findIndex((s) => s.with?.load === true && s.with?.target === "runtime");
    assert.ok(load >= 0 && load < smoke, "the image under test is the one built from this commit");
  });

  it("deploys the pushed images by digest", () => {
    const outputs = (workflow.jobs.image as unknown as { outputs: Record<string, string> }).outputs;
    for (const [name, ref] of Object.entries(outputs))
      assert.match(ref, /@\$\{\{ steps\.\w+\.outputs\.digest \}\}$/, `${name}: ${ref}`);
    const deploy = workflow.jobs.deploy!.steps.map((s) => s.run ?? "").join("\n");
    assert.match(deploy, /kustomize edit set image "retention-lab=\$\{\{ needs\.image\.outputs\.site \}\}"/);
    assert.match(deploy, /"retention-lab-audit=\$\{\{ needs\.image\.outputs\.audit \}\}"/);
  });
});
