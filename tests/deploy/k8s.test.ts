/**
 * The Kubernetes manifests, rendered by a real kustomize (base and the AKS overlay): schema-valid, meeting
 * the restricted Pod Security profile on every container, and wired together (selectors, probes, ports).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { render, root, type K8sObject } from "./render.js";

const targets = { base: render("base"), aks: render("overlays/aks") };

/** The object of `kind` named `name` (kustomize sorts by kind, then name: never rely on the first of a kind). */
function named(objects: K8sObject[], kind: string, name = "retention-lab"): K8sObject {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  assert.ok(found, `${kind}/${name} is rendered`);
  return found;
}

/** The images' uid for each workload: nginx's 101 for the site's pod, the distroless nonroot uid for oauth2-proxy. */
const UIDS: Record<string, number> = { "retention-lab": 101, "oauth2-proxy": 65532 };

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
        assert.equal(sc.runAsUser ?? pod.runAsUser, UIDS[d.metadata.name], `${at} runAsUser (the image's user)`);
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

    it("gives nginx a writable /tmp on emptyDir, and probes /healthz", () => {
      const [{ d, c }] = containers(objects).filter(({ c }) => c.name === "web");
      const volumes = new Map(d.spec.template.spec.volumes.map((v: { name: string }) => [v.name, v]));
      const mounts = new Map(c.volumeMounts.map((m: { mountPath: string; name: string }) => [m.mountPath, m.name]));
      assert.ok((volumes.get(mounts.get("/tmp")) as { emptyDir?: object }).emptyDir, "/tmp is an emptyDir");
      assert.ok(![...mounts.values()].includes("audit-trail"), "nginx does not write the audit trail");
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

    it("runs the audit service and its shipper as native sidecars that outlive nginx, shipper last", () => {
      const spec = named(objects, "Deployment").spec.template.spec;
      const sidecars: K8sObject["spec"][] = spec.initContainers ?? [];
      assert.deepEqual(
        sidecars.map((c) => c.name),
        ["audit-ship", "audit"],
        "sidecars stop in reverse order: the audit service after nginx, the shipper after the audit service",
      );
      for (const c of sidecars) {
        assert.equal(c.restartPolicy, "Always", `${c.name} is a native sidecar`);
        assert.deepEqual(
          c.volumeMounts.map((m: { name: string }) => m.name),
          ["audit-trail"],
          `${c.name} mounts the trail`,
        );
        assert.equal(
          c.env.find((e: { name: string }) => e.name === "AUDIT_DIR")?.value,
          "/var/log/retention-lab/audit",
          `${c.name}: AUDIT_DIR`,
        );
      }
      const audit = sidecars[1]!;
      assert.match(
        audit.readinessProbe.exec.command.join(" "),
        /\/dev\/tcp\/127\.0\.0\.1\/8081 .*GET \/healthz/,
        "readiness = storage health",
      );
      assert.deepEqual(audit.startupProbe.exec, audit.readinessProbe.exec, "nginx starts once the service answers");
      // The trail's budget fits its volume, with room for the health probe.
      const env = (name: string) => Number(audit.env.find((e: { name: string }) => e.name === name)?.value);
      const volume = spec.volumes.find((v: { name: string }) => v.name === "audit-trail");
      const limit = Number(/^(\d+)Mi$/.exec(volume.emptyDir.sizeLimit)![1]) * 1024 * 1024;
      assert.ok(env("AUDIT_SEGMENT_BYTES") * env("AUDIT_SEGMENTS") < limit, "segments × size < the volume's limit");
    });

    it("leaves the replica count to the HPA (no `replicas` on the Deployment it scales)", () => {
      for (const hpa of objects.filter((o) => o.kind === "HorizontalPodAutoscaler")) {
        const target = named(objects, hpa.spec.scaleTargetRef.kind, hpa.spec.scaleTargetRef.name);
        assert.equal(target.spec.replicas, undefined, `${target.metadata.name} sets replicas beside its HPA`);
      }
    });

    it("selects its own pods everywhere, with labels from `labels:` (not commonLabels)", () => {
      const deployment = named(objects, "Deployment");
      const podLabels = deployment.spec.template.metadata.labels;
      assert.equal(podLabels["app.kubernetes.io/name"], "retention-lab");
      const matches = (selector: Record<string, string>) =>
        Object.entries(selector).every(([k, v]) => podLabels[k] === v);
      assert.ok(matches(deployment.spec.selector.matchLabels), "Deployment selector");
      for (const o of objects.filter((o) => o.metadata.name === "retention-lab")) {
        const selector =
          o.kind === "Service"
            ? o.spec.selector
            : ["PodDisruptionBudget", "NetworkPolicy"].includes(o.kind)
              ? (o.spec.selector ?? o.spec.podSelector).matchLabels
              : null;
        if (selector) assert.ok(matches(selector), `${o.kind} selects the pods`);
      }
      const hpa = named(objects, "HorizontalPodAutoscaler");
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

  it("pulls the site's images from Azure Container Registry, by digest (immutable), never a tag", () => {
    for (const { d, c } of containers(objects)) {
      assert.match(
        c.image,
        /@sha256:[0-9a-f]{64}$/,
        `${d.metadata.name}/${c.name}: ${c.image} is not pinned by digest`,
      );
      assert.doesNotMatch(c.image, /:latest\b/, `${c.name}: :latest`);
      if (d.metadata.name === "retention-lab")
        assert.match(c.image, /^[a-z0-9]+\.azurecr\.io\/retention-lab(-audit)?@sha256:/, `${c.name}: from ACR`);
    }
  });

  it("signs users in with oauth2-proxy through the ingress's external auth, and records the user", () => {
    const ingress = named(objects, "Ingress");
    const a = ingress.metadata.annotations ?? {};
    const service = named(objects, "Service", "oauth2-proxy");
    const port = service.spec.ports[0].port;
    assert.equal(
      a["nginx.ingress.kubernetes.io/auth-url"],
      `http://oauth2-proxy.${ingress.metadata.namespace}.svc.cluster.local:${port}/oauth2/auth`,
    );
    assert.match(a["nginx.ingress.kubernetes.io/auth-signin"] ?? "", /^https:\/\/\$host\/oauth2\/start\?rd=/);
    // The header the ingress passes is the one nginx's template reads (and trusts only from REAL_IP_FROM).
    assert.equal(a["nginx.ingress.kubernetes.io/auth-response-headers"], "X-Auth-Request-Email");
    const template = readFileSync(join(root, "nginx/templates/retention-lab/audit-service.conf.template"), "utf8");
    assert.match(template, /\$http_x_auth_request_email/);
    assert.match(template, /geo \$realip_remote_addr \$from_auth_proxy \{\s*default 0;\s*\$\{REAL_IP_FROM\} 1;/);
    const signIn = named(objects, "Ingress", "oauth2-proxy");
    assert.equal(signIn.spec.rules[0].http.paths[0].path, "/oauth2");
    assert.equal(signIn.spec.rules[0].host, ingress.spec.rules[0].host);
    const audit = named(objects, "Deployment").spec.template.spec.initContainers.find(
      (c: { name: string }) => c.name === "audit",
    );
    const env = Object.fromEntries(audit.env.map((e: { name: string; value: string }) => [e.name, e.value]));
    assert.equal(env.AUDIT_REQUIRE_USER, "1", "an event without a user is refused behind the sign-in");
    assert.ok(env.AUDIT_DIR && env.AUDIT_SEGMENTS, "the base's audit settings survive the patch");
  });

  it("puts everything in a namespace that enforces the restricted profile", () => {
    const ns = objects.find((o) => o.kind === "Namespace")!;
    assert.equal(ns.metadata.labels?.["pod-security.kubernetes.io/enforce"], "restricted");
    for (const o of objects.filter((o) => o.kind !== "Namespace"))
      assert.equal(o.metadata.namespace, ns.metadata.name, o.kind);
  });

  it("exposes the site through ingress-nginx with TLS and an edge rate limit", () => {
    const ingress = named(objects, "Ingress");
    const service = named(objects, "Service");
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
    const policy = named(objects, "NetworkPolicy");
    assert.deepEqual(policy.spec.policyTypes, ["Ingress", "Egress"]);
    assert.deepEqual(policy.spec.egress, []);
    assert.deepEqual(policy.spec.ingress[0].ports, [{ protocol: "TCP", port: 8080 }]);
    // So the user header can only come through the ingress controller, which sets it from oauth2-proxy's answer.
    const from = policy.spec.ingress[0].from.map(
      (f: { namespaceSelector: { matchLabels: Record<string, string> } }) =>
        f.namespaceSelector.matchLabels["kubernetes.io/metadata.name"],
    );
    assert.deepEqual(from.sort(), ["app-routing-system", "ingress-nginx"]);
    const proxy = named(objects, "NetworkPolicy", "oauth2-proxy");
    assert.deepEqual(proxy.spec.ingress[0].ports, [{ protocol: "TCP", port: 4180 }]);
  });
});
