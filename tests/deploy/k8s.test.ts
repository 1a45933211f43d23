/**
 * The Kubernetes manifests, rendered by a real kustomize (base and the AKS overlay): schema-valid, meeting
 * the restricted Pod Security profile on every container, and wired together (selectors, probes, ports).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { render, type K8sObject } from "./render.js";

const targets = { base: render("base"), aks: render("overlays/aks") };

/** Pod templates' containers of every workload, init containers included. */
function containers(objects: K8sObject[]) {
  return objects
    .filter((o) => o.kind === "Deployment")
    .flatMap((d) =>
      [...(d.spec.template.spec.initContainers ?? []), ...d.spec.template.spec.containers].map((c) => ({ d, c })),
    );
}

// Schema validation offline: kubernetes-models bundles the Kubernetes OpenAPI schemas as ajv validators.
// It checks types, enums and required fields (not unknown fields). Not a dependency yet: see docs/deploy.md.
const MODELS = process.env.KUBERNETES_MODELS ?? "kubernetes-models";
async function loadModels(): Promise<((o: K8sObject) => Promise<void>) | string> {
  try {
    await import(`${MODELS}/v1/Service`);
  } catch {
    return `${MODELS} is not installed (npm install -D kubernetes-models@5.1.0)`;
  }
  return async (o) => {
    const group = o.apiVersion.includes("/") ? o.apiVersion : `${o.apiVersion}`;
    const Model = (await import(`${MODELS}/${group}/${o.kind}`))[o.kind];
    new Model(o).validate();
  };
}
const validator = await loadModels();

for (const [name, objects] of Object.entries(targets)) {
  describe(`kustomize build ${name}`, () => {
    it("renders the expected kinds", () => {
      const kinds = new Set(objects.map((o) => o.kind));
      for (const kind of ["Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget", "NetworkPolicy"]) {
        assert.ok(kinds.has(kind), `${kind} in ${name}`);
      }
      if (name === "aks") for (const kind of ["Ingress", "Namespace"]) assert.ok(kinds.has(kind), kind);
    });

    it(
      "validates against the Kubernetes schemas",
      { skip: typeof validator === "string" ? validator : false },
      async () => {
        if (typeof validator === "string") return;
        for (const o of objects)
          await validator(o).catch((e) => assert.fail(`${o.kind}/${o.metadata.name}: ${e.message}`));
      },
    );

    it("every container meets the restricted Pod Security profile", () => {
      const list = containers(objects);
      assert.ok(list.length >= 1);
      for (const { d, c } of list) {
        const pod = d.spec.template.spec.securityContext ?? {};
        const sc = c.securityContext ?? {};
        const at = `${d.metadata.name}/${c.name}`;
        assert.equal(sc.runAsNonRoot ?? pod.runAsNonRoot, true, `${at} runAsNonRoot`);
        assert.equal(sc.runAsUser ?? pod.runAsUser, 101, `${at} runAsUser 101 (the image's nginx user)`);
        assert.equal(sc.allowPrivilegeEscalation, false, `${at} allowPrivilegeEscalation`);
        assert.equal(sc.readOnlyRootFilesystem, true, `${at} readOnlyRootFilesystem`);
        assert.deepEqual(sc.capabilities?.drop, ["ALL"], `${at} drops ALL capabilities`);
        assert.equal(sc.capabilities?.add, undefined, `${at} adds no capability`);
        assert.equal((sc.seccompProfile ?? pod.seccompProfile)?.type, "RuntimeDefault", `${at} seccomp`);
        assert.notEqual(sc.privileged, true, `${at} not privileged`);
        assert.ok(
          c.resources?.requests?.cpu && c.resources?.requests?.memory && c.resources?.limits?.memory,
          `${at} resources`,
        );
      }
      for (const d of objects.filter((o) => o.kind === "Deployment")) {
        const spec = d.spec.template.spec;
        for (const key of ["hostNetwork", "hostPID", "hostIPC"]) assert.notEqual(spec[key], true, key);
        for (const v of spec.volumes ?? []) assert.equal(v.hostPath, undefined, `no hostPath volume (${v.name})`);
      }
    });

    it("gives nginx writable /tmp and log folders on emptyDir, and probes /healthz", () => {
      const [{ d, c }] = containers(objects).filter(({ c }) => c.name === "web");
      const volumes = new Map(d.spec.template.spec.volumes.map((v: { name: string }) => [v.name, v]));
      const mounts = new Map(c.volumeMounts.map((m: { mountPath: string; name: string }) => [m.mountPath, m.name]));
      for (const path of ["/tmp", "/var/log/retention-lab"]) {
        assert.ok(mounts.has(path), `${path} mounted`);
        assert.ok((volumes.get(mounts.get(path)) as { emptyDir?: object }).emptyDir, `${path} is an emptyDir`);
      }
      for (const probe of ["readinessProbe", "livenessProbe"]) {
        assert.equal(c[probe].httpGet.path, "/healthz", probe);
        assert.equal(c[probe].httpGet.port, "http", probe);
      }
      assert.deepEqual(c.ports, [{ name: "http", containerPort: 8080, protocol: "TCP" }]);
      assert.ok(
        c.env.some((e: { name: string }) => e.name === "EMBED_ORIGINS"),
        "the embed allow-list is configurable",
      );
    });

    it("selects its own pods everywhere, with labels from `labels:` (not commonLabels)", () => {
      const deployment = objects.find((o) => o.kind === "Deployment")!;
      const podLabels = deployment.spec.template.metadata.labels;
      assert.equal(podLabels["app.kubernetes.io/name"], "retention-lab");
      const matches = (selector: Record<string, string>) =>
        Object.entries(selector).every(([k, v]) => podLabels[k] === v);
      assert.ok(matches(deployment.spec.selector.matchLabels), "Deployment selector");
      for (const o of objects) {
        const selector =
          o.kind === "Service"
            ? o.spec.selector
            : ["PodDisruptionBudget", "NetworkPolicy"].includes(o.kind)
              ? (o.spec.selector ?? o.spec.podSelector).matchLabels
              : null;
        if (selector) assert.ok(matches(selector), `${o.kind} selects the pods`);
      }
      const hpa = objects.find((o) => o.kind === "HorizontalPodAutoscaler")!;
      assert.equal(hpa.apiVersion, "autoscaling/v2");
      assert.deepEqual(hpa.spec.scaleTargetRef, {
        apiVersion: "apps/v1",
        kind: "Deployment",
        name: deployment.metadata.name,
      });
    });
  });
}

describe("AKS overlay", () => {
  const objects = targets.aks;

  it("pulls the image from Azure Container Registry", () => {
    for (const { c } of containers(objects)) assert.match(c.image, /^[a-z0-9]+\.azurecr\.io\/retention-lab:/);
  });

  it("puts everything in a namespace that enforces the restricted profile", () => {
    const ns = objects.find((o) => o.kind === "Namespace")!;
    assert.equal(ns.metadata.labels?.["pod-security.kubernetes.io/enforce"], "restricted");
    for (const o of objects.filter((o) => o.kind !== "Namespace"))
      assert.equal(o.metadata.namespace, ns.metadata.name, o.kind);
  });

  it("exposes the site through ingress-nginx with TLS and an edge rate limit", () => {
    const ingress = objects.find((o) => o.kind === "Ingress")!;
    const service = objects.find((o) => o.kind === "Service")!;
    assert.equal(ingress.spec.ingressClassName, "nginx");
    assert.ok(ingress.spec.tls?.[0]?.secretName, "TLS secret");
    const a = ingress.metadata.annotations ?? {};
    assert.ok(a["cert-manager.io/cluster-issuer"], "certificate from cert-manager");
    assert.ok(Number(a["nginx.ingress.kubernetes.io/limit-rps"]) > 0, "rate limit");
    const backend = ingress.spec.rules[0].http.paths[0].backend.service;
    assert.equal(backend.name, service.metadata.name);
    assert.ok(service.spec.ports.some((p: { name: string }) => p.name === backend.port.name));
  });

  it("lets only the ingress controller reach the pods, and the pods reach nothing", () => {
    const policy = objects.find((o) => o.kind === "NetworkPolicy")!;
    assert.deepEqual(policy.spec.policyTypes, ["Ingress", "Egress"]);
    assert.deepEqual(policy.spec.egress, []);
    assert.deepEqual(policy.spec.ingress[0].ports, [{ protocol: "TCP", port: 8080 }]);
  });
});
