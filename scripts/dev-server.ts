/**
 * The development server (`npm start`): Framework's preview server with live reload, and the real audit service
 * (server/audit-service.ts) beside it, both behind one local origin as in production, where nginx sends
 * POST /api/audit to the service. Without the service every page's audit beacon answered 404 (a console error).
 *
 *   npx tsx scripts/dev-server.ts            # http://127.0.0.1:${PORT:-3000}, audit trail in ${AUDIT_DIR:-logs/audit-dev}
 *
 * The proxy forwards every other request, and the live-reload WebSocket, to Framework unchanged. The audit request
 * goes through as nginx sends it (audit-endpoint.conf): POST only, no request header but the body's type, no user.
 *
 * Embedding works here as on the production server (nginx/templates/retention-lab/embed-origins.conf.template), for
 * EMBED_ORIGINS — by default the local report origins (LOCAL_REPORT_ORIGINS: a report folder served with
 * `python3 -m http.server 8000`): the views under /embed/ send `frame-ancestors 'self' <origins>`, and a request
 * from a listed origin gets `Access-Control-Allow-Origin` (module imports).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createRequire } from "node:module";
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { connect } from "node:net";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { AUDIT_ENDPOINT } from "../src/lib/audit.js";
import { optionsFromEnv, startAuditService, type AuditService } from "../server/audit-service.js";
import { ORIGIN } from "../src/lib/embed-origins.js";
import { freePort } from "../tests/browser/harness.js";

/** The report origins a local setup allows by default (npm start, compose.yaml): a report on port 8000. */
export const LOCAL_REPORT_ORIGINS = "http://127.0.0.1:8000 http://localhost:8000";

/** EMBED_ORIGINS as a list; refuses what the container would refuse (15-check-embed-origins.sh), naming it. */
export function embedOrigins(value: string): string[] {
  const origins = value.split(/\s+/).filter(Boolean);
  for (const o of origins)
    if (!ORIGIN.test(o))
      throw new Error(
        `EMBED_ORIGINS: "${o}" is not an origin; expected scheme://host[:port] (e.g. https://wiki.example.com)`,
      );
  return origins;
}

/** The embedding headers nginx would add to a response for `path`, asked from `origin`. */
export function embedHeaders(
  path: string,
  origin: string | undefined,
  origins: readonly string[],
): Record<string, string> {
  const headers: Record<string, string> = {};
  if (/^\/embed\/[^/]+$/.test(path) && !path.endsWith(".js"))
    headers["content-security-policy"] = `frame-ancestors ${["'self'", ...origins].join(" ")}`;
  if (origin && origins.includes(origin))
    Object.assign(headers, { "access-control-allow-origin": origin, vary: "Origin" });
  return headers;
}

export interface DevServer {
  url: string;
  auditDir: string;
  close(): Promise<void>;
}

function forward(
  req: IncomingMessage,
  res: ServerResponse,
  port: number,
  path: string,
  headers: Record<string, string>,
  extra: Record<string, string> = {},
) {
  // agent: false: no kept-alive sockets to the upstreams, so stopping leaves nothing open.
  const upstream = request({ host: "127.0.0.1", port, method: req.method, path, headers, agent: false }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, { ...answer.headers, ...extra });
    answer.pipe(res);
  });
  upstream.on("error", (error) => {
    if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain; charset=utf-8" });
    res.end(`dev server: upstream on port ${port} did not answer: ${error.message}\n`);
  });
  req.pipe(upstream);
}

/** Waits until Framework answers on `port`, or fails with what it printed if it exits first. */
async function waitForFramework(child: ChildProcess, port: number, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Framework's preview server exited (${child.exitCode}):\n${output()}`);
    try {
      await fetch(`http://127.0.0.1:${port}/_observablehq/client.js`);
      return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`Framework's preview server did not answer within 60 s:\n${output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Starts the audit service, Framework's preview server and the proxy in front of both on `port`. */
export async function startDevServer({
  port = 3000,
  auditDir = "logs/audit-dev",
  quiet = false,
  origins = LOCAL_REPORT_ORIGINS,
}: { port?: number; auditDir?: string; quiet?: boolean; origins?: string } = {}): Promise<DevServer> {
  const allowed = embedOrigins(origins);
  const audit: AuditService = await startAuditService({
    ...optionsFromEnv({ ...process.env, AUDIT_DIR: auditDir, AUDIT_PORT: "0" }),
    host: "127.0.0.1",
  });
  const frameworkPort = await freePort();
  // Framework's own binary under this Node (not through npx, whose child would outlive a signal to npx).
  const bin = createRequire(import.meta.url).resolve("@observablehq/framework/dist/bin/observable.js");
  const child = spawn(
    process.execPath,
    [bin, "preview", "--host", "127.0.0.1", "--port", String(frameworkPort), "--no-open"],
    { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, OBSERVABLE_TELEMETRY_DISABLE: "true" } },
  );
  let output = "";
  for (const stream of [child.stdout!, child.stderr!])
    stream.setEncoding("utf8").on("data", (chunk: string) => {
      output += chunk;
      // Framework's own messages name its internal port; the page is on ours.
      if (!quiet) process.stderr.write(chunk.replaceAll(`:${frameworkPort}`, `:${port}`));
    });
  const stopChild = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    await once(child, "exit");
  };
  try {
    await waitForFramework(child, frameworkPort, () => output);
  } catch (error) {
    await stopChild();
    await audit.close();
    throw error;
  }

  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path !== AUDIT_ENDPOINT) {
      const extra = embedHeaders(path, req.headers.origin, allowed);
      forward(req, res, frameworkPort, req.url ?? "/", req.headers as Record<string, string>, extra);
      return;
    }
    if (req.method !== "POST") {
      res.writeHead(405).end();
      return;
    }
    const type = req.headers["content-type"];
    forward(req, res, audit.port, "/events", type ? { "content-type": type } : {});
  });
  // Live reload: the WebSocket handshake and its frames pass through as raw bytes.
  server.on("upgrade", (req: IncomingMessage, socket, head) => {
    const upstream = connect(frameworkPort, "127.0.0.1", () => {
      const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstream.write(`${lines.join("\r\n")}\r\n\r\n`);
      if (head.length) upstream.write(head);
      upstream.pipe(socket).pipe(upstream);
    });
    const drop = () => {
      upstream.destroy();
      socket.destroy();
    };
    upstream.on("error", drop);
    socket.on("error", drop);
  });
  await new Promise<void>((done, fail) => {
    server.once("error", fail);
    server.listen(port, "127.0.0.1", () => done());
  });
  const actual = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${actual}/`,
    auditDir,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
      await stopChild();
      await audit.close();
    },
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const port = Number(process.env.PORT || 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT=${process.env.PORT}: not a port`);
  const origins = process.env.EMBED_ORIGINS ?? LOCAL_REPORT_ORIGINS;
  const dev = await startDevServer({ port, auditDir: process.env.AUDIT_DIR || "logs/audit-dev", origins });
  process.stderr.write(
    `\x1b[1m[start]\x1b[0m serving on ${dev.url} (audit trail in ${dev.auditDir}/; embedding allowed for: ${origins || "the site only"})\n`,
  );
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    process.once(signal, () => void dev.close().then(() => process.exit(0)));
}
