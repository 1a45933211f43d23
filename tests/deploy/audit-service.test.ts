/**
 * The audit trail end to end, with the real servers on loopback: nginx (the image's include files, through the
 * browser tests' harness) in front of the audit service (server/audit-service.ts), and the shipper
 * (server/audit-ship.ts). Faults are real: a 64 KiB tmpfs that fills up, and processes killed and restarted.
 *
 * What it shows (issue 16, "Done when"): a full log destination answers no request as if it were stored and
 * makes the loss visible (503 answers, a failing health check, an error line); N accepted events give N valid
 * lines across restarts of the service (graceful and SIGKILL) and of the shipper, with no duplicate shipped.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { randomUUID } from "node:crypto";
import { readAuditRecords, startAuditProcess, startSite, type AuditProcess, type Site } from "../browser/harness.js";
import { optionsFromEnv, startAuditService } from "../../server/audit-service.js";
import { root } from "./render.js";

let work: string;
let dist: string;
before(async () => {
  work = await mkdtemp(join(tmpdir(), "audit-service-test-"));
  dist = join(work, "dist");
  await mkdir(dist);
  await writeFile(join(dist, "index.html"), "<!doctype html><title>audit test</title>\n");
});
after(async () => {
  await rm(work, { recursive: true, force: true });
});

interface Reply {
  status: number;
  body: string;
}

/** POST /api/audit (or any path) from a loopback address; each address has its own nginx rate-limit bucket. */
function post(base: string, path: string, body: string | Buffer, from = "127.0.0.1", headers = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, base),
      {
        method: "POST",
        localAddress: from,
        agent: false,
        headers: { "content-type": "text/plain;charset=UTF-8", ...headers },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8").on("data", (c: string) => (text += c));
        res.on("end", () => resolve({ status: res.statusCode!, body: text }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** A different loopback source address for each event number, so the per-address rate limit never interferes. */
const source = (i: number) => `127.0.${2 + Math.floor(i / 200)}.${1 + (i % 200)}`;

/** A valid event body with a fresh ID. */
function event(
  detail: Record<string, string | number> = { chart: "churn-by-contract", format: "png" },
  id: string = randomUUID(),
) {
  return { id, body: JSON.stringify({ id, event: "chart_downloaded", page: "/telco/customer", detail }) };
}

/** GET the service's own health check. */
async function health(service: AuditProcess): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`http://127.0.0.1:${service.port}/healthz`);
  return { status: res.status, body: await res.json() };
}

/** The shipper as a process writing to `outFd`, polling every `intervalMs`; `ready` once it handles SIGTERM. */
function shipperProcess(dir: string, outFd: number, intervalMs: number) {
  const child = spawn(process.execPath, ["--import", "tsx", join(root, "server", "audit-ship.ts")], {
    cwd: root,
    env: { ...process.env, AUDIT_DIR: dir, AUDIT_SHIP_INTERVAL_MS: String(intervalMs) },
    stdio: ["ignore", outFd, "pipe"],
  });
  let stderr = "";
  const ready = new Promise<void>((resolve) =>
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
      if (stderr.includes("audit-ship: shipping")) resolve();
    }),
  );
  return { child, ready, exited: new Promise((r) => child.once("exit", r)) };
}

describe("audit endpoint: schema, user and storage", () => {
  let site: Site;
  before(async () => {
    site = await startSite({ dist });
  });
  after(async () => {
    await site?.stop();
  });

  it("stores a valid event as one JSON line after answering 204, with nginx's request id", async () => {
    const { id, body } = event({ chart: "whatif-waterfall-7590-VHVEG", format: "svg" });
    assert.equal((await post(site.url, "/api/audit", body, "127.0.0.11")).status, 204);
    const records = await readAuditRecords(site.auditDir);
    const record = records.find((r) => r.id === id);
    assert.ok(record, "stored before the answer: no waiting needed");
    assert.equal(record.event, "chart_downloaded");
    assert.deepEqual(record.detail, { chart: "whatif-waterfall-7590-VHVEG", format: "svg" });
    assert.match(String(record.request_id), /^[0-9a-f]{32}$/);
    assert.match(String(record.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.deepEqual(Object.keys(record).sort(), ["detail", "event", "id", "page", "request_id", "time", "user"]);
  });

  it("takes the signed-in user from the sign-in proxy's header only when the request comes from the proxy", async () => {
    // The tests' REAL_IP_FROM is 127.0.0.1/32: that address plays the ingress controller.
    const header = { "x-auth-request-email": "alice@example.com" };
    const fromProxy = event();
    const forged = event();
    assert.equal((await post(site.url, "/api/audit", fromProxy.body, "127.0.0.1", header)).status, 204);
    assert.equal((await post(site.url, "/api/audit", forged.body, "127.0.0.12", header)).status, 204);
    // A header the client adds under the service's own name never reaches it (nginx passes no client header).
    const direct = event();
    const sneaky = { "x-audit-user": "mallory" };
    assert.equal((await post(site.url, "/api/audit", direct.body, "127.0.0.12", sneaky)).status, 204);
    const byId = new Map((await readAuditRecords(site.auditDir)).map((r) => [r.id, r]));
    assert.equal(byId.get(fromProxy.id)?.user, "alice@example.com");
    assert.equal(byId.get(forged.id)?.user, null);
    assert.equal(byId.get(direct.id)?.user, null);
  });

  it("refuses everything the schema does not know, and stores none of it", async () => {
    const before = (await readAuditRecords(site.auditDir)).length;
    const id = randomUUID();
    const cases: Array<[string | Buffer, number, RegExp]> = [
      ["not json", 400, /not JSON/],
      [Buffer.from([0x7b, 0x22, 0x80, 0xff, 0x22, 0x7d]), 400, /UTF-8/],
      [JSON.stringify({ id, event: "made_up", detail: {} }), 422, /made_up/],
      [
        JSON.stringify({ id, event: "page_view", detail: { page: "x", note: "hello" } }),
        422,
        /unknown field .{1,2}note/,
      ],
      [JSON.stringify({ id, event: "customer_opened", detail: { customer: "alice@example.com" } }), 422, /customer/],
      [JSON.stringify({ id, event: "customer_opened", detail: { customer: "4111 1111 1111 1111" } }), 422, /customer/],
      [JSON.stringify({ id, event: "customer_opened", detail: {} }), 422, /required field customer/],
      [JSON.stringify({ id, event: "whatif_run", detail: { customer: "7590-VHVEG", tenure: 1e9 } }), 422, /tenure/],
      [JSON.stringify({ id, event: "chart_downloaded", detail: { chart: "a\nb", format: "png" } }), 422, /chart/],
      [
        JSON.stringify({ id, event: "page_view", page: "/x", detail: { page: "x" }, user: "root" }),
        422,
        /field .{1,2}user/,
      ],
      [JSON.stringify({ event: "page_view", detail: { page: "x" } }), 422, /id/],
      // The previous log format's bodies (free-form, control characters) are no longer accepted.
      ['{"event":"injection\\"}"}\n\u0000\u001b[31m', 400, /JSON/],
    ];
    for (const [i, [body, status, error]] of cases.entries()) {
      const reply = await post(site.url, "/api/audit", body, `127.0.1.${i + 1}`);
      assert.equal(reply.status, status, `case ${i}: ${reply.body}`);
      assert.match(reply.body, error, `case ${i}: the answer says what is wrong`);
    }
    assert.equal((await readAuditRecords(site.auditDir)).length, before, "nothing refused was stored");
  });

  it("stores a retried event once (same ID)", async () => {
    const { id, body } = event();
    for (let i = 0; i < 3; i++) assert.equal((await post(site.url, "/api/audit", body, "127.0.0.13")).status, 204);
    assert.equal((await readAuditRecords(site.auditDir)).filter((r) => r.id === id).length, 1);
  });

  it("every stored line is valid UTF-8 JSON (the schema admits no other bytes)", async () => {
    for (const file of await readdir(site.auditDir)) {
      if (!file.endsWith(".jsonl")) continue;
      const bytes = readFileSync(join(site.auditDir, file));
      assert.doesNotThrow(() => new TextDecoder("utf-8", { fatal: true }).decode(bytes), file);
      for (const line of bytes.toString("utf8").split("\n").filter(Boolean)) JSON.parse(line);
    }
  });
});

/** Run a mount command as root: directly when we are root, else through `sudo -n` (CI runners allow it). */
function asRoot(command: string, args: string[]) {
  const root = process.getuid?.() === 0;
  return spawnSync(root ? command : "sudo", root ? args : ["-n", command, ...args], { encoding: "utf8" });
}

/** Mount a tmpfs of `size` at `dir`, owned by us, or say why not (the test is skipped then, never faked). */
function mountTmpfs(dir: string, size: string): string | null {
  const owner = `uid=${process.getuid?.() ?? 0},gid=${process.getgid?.() ?? 0}`;
  const run = asRoot("mount", ["-t", "tmpfs", "-o", `size=${size},${owner},mode=0700`, "tmpfs", dir]);
  return run.status === 0 ? null : `cannot mount a tmpfs here (${(run.stderr || run.error?.message || "").trim()})`;
}
const canMount = await (async () => {
  const probe = await mkdtemp(join(tmpdir(), "audit-tmpfs-probe-"));
  const why = mountTmpfs(probe, "64k");
  if (why === null) asRoot("umount", [probe]);
  await rm(probe, { recursive: true, force: true });
  return why;
})();

describe("audit storage full (a 64 KiB tmpfs)", { skip: canMount ?? false }, () => {
  let disk: string;
  let service: AuditProcess;
  let site: Site;
  before(async () => {
    disk = join(work, "full");
    await mkdir(disk);
    assert.equal(mountTmpfs(disk, "64k"), null);
    // Most of the disk is taken by something else, as when a volume fills up.
    await writeFile(join(disk, "filler"), Buffer.alloc(40 * 1024, 1));
    service = await startAuditProcess({ AUDIT_DIR: join(disk, "audit") });
    site = await startSite({ dist, auditUpstream: `127.0.0.1:${service.port}` });
  });
  after(async () => {
    await site?.stop();
    await service?.stop();
    asRoot("umount", [disk]);
  });

  it("answers 503 once nothing more fits, never 204 for a record it did not store; the loss is visible", async () => {
    assert.equal((await health(service)).status, 200, "healthy while there is room");
    const accepted: string[] = [];
    const refused: string[] = [];
    for (let i = 0; refused.length < 10; i++) {
      assert.ok(i < 1000, "the disk never filled up");
      const { id, body } = event({ chart: `chart-${i}-${"x".repeat(80)}`, format: "png" });
      const { status } = await post(site.url, "/api/audit", body, source(i));
      assert.ok(status === 204 || status === 503, `only 204 or 503, got ${status}`);
      (status === 204 ? accepted : refused).push(id);
    }
    const records = await readAuditRecords(join(disk, "audit"));
    assert.deepEqual(
      records.map((r) => r.id),
      accepted,
      "exactly the accepted events, in order, each whole (no truncated line)",
    );
    const h = await health(service);
    assert.equal(h.status, 503, "the health check fails while storage fails");
    assert.ok(Number(h.body.failed) >= refused.length, "the failures are counted");
    assert.match(service.errors(), /audit record not stored, answered 503/);
    console.log(`# full disk: ${accepted.length} events stored and acknowledged, then ${refused.length} answered 503`);

    // Room again: health recovers, and the refused events, retried as the page does, are stored.
    await rm(join(disk, "filler"));
    assert.equal((await health(service)).status, 200);
    for (const [i, id] of refused.entries())
      assert.equal((await post(site.url, "/api/audit", event(undefined, id).body, source(500 + i))).status, 204);
    const after = (await readAuditRecords(join(disk, "audit"))).map((r) => r.id);
    assert.deepEqual(after, [...accepted, ...refused]);
  });
});

describe("audit storage read-only (a tmpfs mounted ro)", { skip: canMount ?? false }, () => {
  let disk: string;
  let service: AuditProcess;
  let site: Site;
  before(async () => {
    disk = join(work, "readonly");
    await mkdir(disk);
    assert.equal(mountTmpfs(disk, "1m"), null);
    // Read-only before the service opens anything (a remount to ro is refused while a file is open for writing).
    assert.equal(asRoot("mount", ["-o", "remount,ro", disk]).status, 0);
    service = await startAuditProcess({ AUDIT_DIR: join(disk, "audit") });
    site = await startSite({ dist, auditUpstream: `127.0.0.1:${service.port}` });
  });
  after(async () => {
    await site?.stop();
    await service?.stop();
    asRoot("umount", [disk]);
  });

  it("answers 503 and fails its health check while the volume is read-only, and recovers", async () => {
    const refused = event();
    const reply = await post(site.url, "/api/audit", refused.body, source(1));
    assert.equal(reply.status, 503, reply.body);
    assert.equal((await health(service)).status, 503);
    assert.match(service.errors(), /not stored, answered 503.*readonly\/audit/, "the error line names the folder");
    assert.equal(asRoot("mount", ["-o", "remount,rw", disk]).status, 0);
    assert.equal((await health(service)).status, 200);
    assert.equal((await post(site.url, "/api/audit", refused.body, source(2))).status, 204, "the retry is stored");
    assert.deepEqual(
      (await readAuditRecords(join(disk, "audit"))).map((r) => r.id),
      [refused.id],
    );
  });
});

describe("audit storage budget (segments × size)", () => {
  it("refuses (503, failing health) rather than delete a segment the shipper has not shipped; deletes it once shipped", async () => {
    const dir = join(work, "budget");
    const service = await startAuditProcess({ AUDIT_DIR: dir, AUDIT_SEGMENT_BYTES: "8192", AUDIT_SEGMENTS: "2" });
    const url = `http://127.0.0.1:${service.port}/`;
    try {
      let stored = 0;
      let status = 204;
      for (; status === 204; stored++) {
        assert.ok(stored < 200, "the budget never ran out");
        status = (
          await post(url, "/events", event({ chart: `budget-${stored}-${"x".repeat(60)}`, format: "png" }).body)
        ).status;
      }
      stored -= 1;
      assert.equal(status, 503);
      assert.equal((await health(service)).status, 503, "the health check shows the spent budget");
      assert.match(service.errors(), /budget spent/);
      assert.equal((await readAuditRecords(dir)).length, stored, "nothing was deleted to make room");
      // The shipper ships everything (to nowhere, here): the oldest segment may go, and events are stored again.
      const { shipPending } = await import("../../server/audit-ship.js");
      assert.equal(await shipPending(dir, async () => {}), stored);
      assert.equal((await post(url, "/events", event().body)).status, 204);
      const h = await health(service);
      assert.equal(h.status, 200, JSON.stringify(h.body));
      const files = (await readdir(dir)).filter((f) => f.endsWith(".jsonl"));
      assert.ok(files.length <= 2, `at most AUDIT_SEGMENTS files: ${files}`);
      console.log(`# budget: 2 segments of 8 KiB held ${stored} events, then 503 until shipped`);
    } finally {
      await service.stop();
    }
  });
});

describe("audit shipper", () => {
  it("ships at its stop what was stored since its last pass (a pod's shutdown: the shipper stops last)", async () => {
    const dir = join(work, "rollout");
    // A pass at start (nothing there yet), then none for an hour: only the stop can ship what follows.
    const outFile = join(work, "rollout.jsonl");
    const outFd = openSync(outFile, "a");
    const service = await startAuditProcess({ AUDIT_DIR: dir });
    const shipper = shipperProcess(dir, outFd, 3_600_000);
    await shipper.ready;
    const ids: string[] = [];
    try {
      for (let i = 0; i < 25; i++) {
        const e = event({ chart: `rollout-${i}`, format: "svg" });
        assert.equal((await post(`http://127.0.0.1:${service.port}/`, "/events", e.body)).status, 204);
        ids.push(e.id);
      }
    } finally {
      await service.stop();
      shipper.child.kill("SIGTERM");
      await shipper.exited;
      closeSync(outFd);
    }
    const shipped = readFileSync(outFile, "utf8").split("\n").filter(Boolean);
    assert.deepEqual(
      shipped.map((l) => JSON.parse(l).id),
      ids,
    );
  });

  it("resumes at a line start when the store has cut back a line it had already shipped", async () => {
    const { shipPending } = await import("../../server/audit-ship.js");
    const { segmentName } = await import("../../server/audit-store.js");
    const dir = join(work, "cut-back");
    await mkdir(dir);
    const file = join(dir, segmentName(1));
    const line = (id: string, pad = 0) => `${JSON.stringify({ id, pad: "x".repeat(pad) })}\n`;
    const shipped: string[] = [];
    const sink = async (bytes: Buffer) => void shipped.push(...bytes.toString("utf8").split("\n").filter(Boolean));
    await writeFile(file, line("a") + line("b"));
    assert.equal(await shipPending(dir, sink), 2);
    // The store's write of "b" failed at fsync: it cuts the file back to "a", then stores "c" (longer) there.
    await writeFile(file, line("a") + line("c", 40));
    assert.equal(await shipPending(dir, sink), 1);
    assert.deepEqual(
      shipped.map((l) => JSON.parse(l).id),
      ["a", "b", "c"],
      "every shipped line whole; b again only if the page's retry stores it",
    );
  });
});

describe("N accepted events give N valid lines across restarts", () => {
  const dir = () => join(work, "restarts");
  const AUDIT_DIR = () => dir();
  let service: AuditProcess;
  let site: Site;
  let port: number;

  /** Start the service on the same port again (nginx's upstream does not change across a restart). */
  async function restart(signal: NodeJS.Signals) {
    const child = service.child;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill(signal);
      await exited;
    }
    service = await startAuditProcess({
      AUDIT_DIR: AUDIT_DIR(),
      AUDIT_PORT: String(port),
      AUDIT_SEGMENT_BYTES: "8192",
    });
  }

  before(async () => {
    service = await startAuditProcess({ AUDIT_DIR: AUDIT_DIR(), AUDIT_SEGMENT_BYTES: "8192" });
    port = service.port;
    site = await startSite({ dist, auditUpstream: `127.0.0.1:${port}` });
  });
  after(async () => {
    await site?.stop();
    await service?.stop();
  });

  it("through a graceful restart and a SIGKILL while events arrive, with rotation, shipped once each", async () => {
    const out = join(work, "shipped.jsonl");
    const outFd = openSync(out, "a");
    const startShipper = () => shipperProcess(dir(), outFd, 20);
    let shipper = startShipper();
    await shipper.ready;
    const accepted = new Set<string>();
    const unanswered: string[] = [];
    let n = 0;
    /** Send `count` events at once; keep the IDs answered 204 and those that got no 204 (to retry). */
    const burst = async (count: number, onReply = (_status: number) => {}) => {
      const sent = Array.from({ length: count }, () => event({ chart: `restart-${n}`, format: "csv" }));
      const replies = await Promise.all(
        sent.map((e) =>
          post(site.url, "/api/audit", e.body, source(n++)).then((reply) => {
            onReply(reply.status);
            return reply;
          }),
        ),
      );
      for (const [i, reply] of replies.entries()) {
        if (reply.status === 204) accepted.add(sent[i]!.id);
        else {
          assert.ok([502, 503].includes(reply.status), `a failure is an error answer, got ${reply.status}`);
          unanswered.push(sent[i]!.body);
        }
      }
    };

    await burst(40);
    await restart("SIGTERM");
    await burst(40);
    // Killed while a burst is in flight (at its first answer): what was answered 204 must be on disk.
    const killed = service.child;
    await burst(40, (status) => status === 204 && killed.kill("SIGKILL"));
    await restart("SIGKILL");
    // The shipper restarts too: a graceful stop ships what is there and commits.
    shipper.child.kill("SIGTERM");
    await shipper.exited;
    await burst(40);
    shipper = startShipper();
    // The page retries what got no 204 (same ID).
    const retried = unanswered.length;
    for (const body of unanswered.splice(0)) {
      const reply = await post(site.url, "/api/audit", body, source(n++));
      assert.equal(reply.status, 204);
      accepted.add(JSON.parse(body).id);
    }

    const records = await readAuditRecords(dir());
    const ids = records.map((r) => String(r.id));
    const stored = new Set(ids);
    for (const id of accepted) assert.ok(stored.has(id), `accepted ${id} is stored`);
    assert.equal(stored.size, accepted.size, "nothing stored that was never accepted");
    // A SIGKILL between fsync and the answer stores an event that the page then retries: the restarted service
    // knows the IDs already on disk, so the retry is not stored twice.
    const repeats = ids.length - stored.size;
    assert.equal(repeats, 0, "no event stored twice");
    assert.ok((await readdir(dir())).filter((f) => f.endsWith(".jsonl")).length > 2, "the trail rotated");

    // Wait for the shipper to catch up, then stop it: everything shipped, each line once.
    for (let i = 0; i < 400; i++) {
      if (readFileSync(out, "utf8").split("\n").filter(Boolean).length >= ids.length) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    shipper.child.kill("SIGTERM");
    await shipper.exited;
    closeSync(outFd);
    const shipped = readFileSync(out, "utf8").split("\n").filter(Boolean);
    assert.deepEqual(
      shipped.map((line) => JSON.parse(line).id),
      ids,
      "the shipper's output is the trail, in order, no line twice",
    );
    console.log(
      `# restarts: ${accepted.size} events accepted (${retried} after a retry), ${stored.size} stored, ${repeats} stored twice, ${shipped.length} lines shipped`,
    );
  });
});

describe("audit service behind nginx: kept-alive connections", () => {
  it("keeps an idle connection open longer than nginx does, so nginx never reuses one the service is closing", async () => {
    const template = readFileSync("nginx/templates/retention-lab/audit-service.conf.template", "utf8");
    const nginxSeconds = Number(/keepalive_timeout\s+(\d+)s;/.exec(template)?.[1]);
    assert.ok(nginxSeconds > 0, "the upstream block sets keepalive_timeout");
    const dir = await mkdtemp(join(tmpdir(), "audit-keepalive-"));
    const service = await startAuditService({ ...optionsFromEnv({ AUDIT_DIR: dir }), host: "127.0.0.1", port: 0 });
    try {
      assert.ok(service.server.keepAliveTimeout > 1000 * nginxSeconds, `${service.server.keepAliveTimeout} ms`);
      assert.ok(service.server.headersTimeout > service.server.keepAliveTimeout);
    } finally {
      await service.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
