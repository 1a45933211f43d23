/**
 * The audit service: nginx proxies POST /api/audit here over loopback (nginx/server.d/audit-endpoint.conf).
 * Each event is validated against the schema (src/lib/audit-schema.ts), then written as one JSON line and
 * fsynced (server/audit-store.ts) before the answer:
 *
 *   204  stored (or already stored: a retry of an event ID seen lately)
 *   400  not UTF-8 or not JSON, or a malformed user header        — never retried by the page
 *   401  AUDIT_REQUIRE_USER=1 and no signed-in user                — retried (the sign-in may come back)
 *   413  body over AUDIT_MAX_BODY bytes
 *   422  valid JSON that the schema refuses (the sentence says which value, where)
 *   503  the record could not be stored (disk full, read-only, budget spent) — the page keeps it and retries
 *
 * GET /healthz answers 200 only while a record could be stored now (a probe write), else 503; its JSON body
 * carries the counters (stored, duplicates, refused, failed). Every failure is also one line on stderr.
 *
 *   AUDIT_DIR=/var/log/retention-lab/audit node audit-service.mjs
 *
 * Settings (environment): AUDIT_DIR (required), AUDIT_HOST (127.0.0.1), AUDIT_PORT (8081), AUDIT_SEGMENT_BYTES
 * (8 MiB), AUDIT_SEGMENTS (8), AUDIT_REQUIRE_USER (0).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { pathToFileURL } from "node:url";
import { AUDIT_MAX_BODY, checkAuditEvent } from "../src/lib/audit-schema.js";
import { AuditStore, StoreError, type StoreLimits } from "./audit-store.js";

/** How the service runs. */
export interface AuditServiceOptions extends StoreLimits {
  dir: string;
  host: string;
  port: number;
  /** Refuse events without a signed-in user (behind the sign-in proxy, a missing user is a misconfiguration). */
  requireUser: boolean;
}

/** The header nginx sets from the sign-in proxy's user, and only for requests from the proxy. */
export const USER_HEADER = "x-audit-user";
/** A user name as oauth2-proxy passes it (user ID or e-mail): printable ASCII, bounded. */
const USER = /^[\x21-\x7e]{1,256}$/;
/** nginx's $request_id. */
const REQUEST_ID = /^[0-9a-f]{32}$/;
/** How many recent event IDs are remembered, so a retried event is stored once. */
const RECENT_IDS = 10_000;

/** One stored line: the validated event, who sent it, and when the server stored it. */
export interface AuditRecord {
  id: string;
  time: string;
  request_id: string | null;
  user: string | null;
  event: string;
  page: string;
  detail: Record<string, string | number>;
}

/** A running service: its address, counters, and a way to stop it. */
export interface AuditService {
  server: Server;
  port: number;
  counters: Record<"stored" | "duplicates" | "refused" | "failed", number>;
  close(): Promise<void>;
}

/** Read the environment into options; names the variable and value that are wrong. */
export function optionsFromEnv(env: NodeJS.ProcessEnv = process.env): AuditServiceOptions {
  const int = (name: string, fallback: number, min: number) => {
    const raw = env[name];
    if (raw === undefined || raw === "") return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < min)
      throw new Error(`${name}=${JSON.stringify(raw)}: expected an integer >= ${min}`);
    return Number(raw);
  };
  if (!env.AUDIT_DIR) throw new Error("AUDIT_DIR is not set: the folder the audit trail is written to");
  if (!["", "0", "1", undefined].includes(env.AUDIT_REQUIRE_USER))
    throw new Error(`AUDIT_REQUIRE_USER=${JSON.stringify(env.AUDIT_REQUIRE_USER)}: expected 0 or 1`);
  return {
    dir: env.AUDIT_DIR,
    host: env.AUDIT_HOST || "127.0.0.1",
    port: int("AUDIT_PORT", 8081, 0),
    segmentBytes: int("AUDIT_SEGMENT_BYTES", 8 * 1024 * 1024, 4 * AUDIT_MAX_BODY),
    segments: int("AUDIT_SEGMENTS", 8, 2),
    requireUser: env.AUDIT_REQUIRE_USER === "1",
  };
}

/** Start the service; resolves once it listens. */
export function startAuditService(options: AuditServiceOptions): Promise<AuditService> {
  const store = new AuditStore(options.dir, options);
  const counters = { stored: 0, duplicates: 0, refused: 0, failed: 0 };
  const log = (fields: object) =>
    process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), ...fields })}\n`);
  // Remembered across restarts: a page retrying an event whose 204 was lost to a crash gets 204 again, once.
  const recent = new Set<string>();
  try {
    for (const id of store.storedIds(RECENT_IDS)) recent.add(id);
  } catch (error) {
    // Unreadable storage: start anyway, so the failure shows as 503s and a failing health check, not a crash loop.
    log({ level: "error", msg: "stored event IDs not readable", reason: (error as Error).message });
  }

  const answer = (res: ServerResponse, status: number, body?: object) => {
    if (status >= 400 && status !== 503) counters.refused += 1;
    res.writeHead(status, body ? { "content-type": "application/json" } : {});
    res.end(body ? `${JSON.stringify(body)}\n` : undefined);
  };

  const handleEvent = (req: IncomingMessage, res: ServerResponse, raw: Buffer) => {
    let text: string;
    let parsed: unknown;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(raw);
    } catch {
      return answer(res, 400, { error: "the body is not valid UTF-8" });
    }
    try {
      parsed = JSON.parse(text);
    } catch {
      return answer(res, 400, { error: "the body is not JSON" });
    }
    const checked = checkAuditEvent(parsed);
    if (!checked.ok) return answer(res, 422, { error: checked.error });
    const userHeader = req.headers[USER_HEADER];
    const user = typeof userHeader === "string" && userHeader !== "" ? userHeader : null;
    if (user !== null && !USER.test(user))
      return answer(res, 400, { error: `${USER_HEADER} ${JSON.stringify(user.slice(0, 40))} is not a user name` });
    if (user === null && options.requireUser) return answer(res, 401, { error: "no signed-in user" });
    const { id, event, page, detail } = checked.event;
    if (recent.has(id)) {
      counters.duplicates += 1;
      return answer(res, 204);
    }
    const requestId = req.headers["x-request-id"];
    const record: AuditRecord = {
      id,
      time: new Date().toISOString(),
      request_id: typeof requestId === "string" && REQUEST_ID.test(requestId) ? requestId : null,
      user,
      event,
      page,
      detail,
    };
    try {
      store.append(JSON.stringify(record));
    } catch (error) {
      if (!(error instanceof StoreError)) throw error;
      counters.failed += 1;
      log({ level: "error", msg: "audit record not stored, answered 503", id, event, reason: error.message });
      return answer(res, 503, { error: "the audit record could not be stored; retry later" });
    }
    counters.stored += 1;
    recent.add(id);
    if (recent.size > RECENT_IDS) recent.delete(recent.values().next().value!);
    answer(res, 204);
  };

  const server = createServer((req, res) => {
    const path = (req.url ?? "").split("?")[0];
    if (path === "/healthz" && req.method === "GET") {
      const health = store.health();
      return answer(res, health.ok ? 200 : 503, { ...health, ...counters });
    }
    if (path !== "/events") return answer(res, 404, { error: `no such path ${JSON.stringify(path)}` });
    if (req.method !== "POST") return answer(res, 405, { error: `method ${req.method} not allowed` });
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= AUDIT_MAX_BODY) chunks.push(chunk);
    });
    req.on("end", () => {
      if (size > AUDIT_MAX_BODY) return answer(res, 413, { error: `body of ${size} bytes is over ${AUDIT_MAX_BODY}` });
      handleEvent(req, res, Buffer.concat(chunks));
    });
  });

  // Longer than nginx keeps an idle upstream connection (keepalive_timeout 30s in
  // nginx/templates/retention-lab/audit-service.conf.template): the proxy, not the service, closes idle connections,
  // so nginx never sends a request on a connection the service is closing (a 502 under load).
  server.keepAliveTimeout = 75_000;
  server.headersTimeout = 76_000;
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      const port = (server.address() as { port: number }).port;
      resolve({
        server,
        port,
        counters,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => {
              store.close();
              done();
            });
            server.closeIdleConnections();
          }),
      });
    });
  });
}

// Run as a program: start from the environment; SIGTERM stops taking requests, finishes the ones in flight.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const options = optionsFromEnv();
  const service = await startAuditService(options);
  process.stderr.write(`audit service on ${options.host}:${service.port}, writing ${options.dir}\n`);
  for (const signal of ["SIGTERM", "SIGINT"] as const)
    process.once(signal, () => void service.close().then(() => process.exit(0)));
}
