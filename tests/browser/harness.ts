/**
 * Shared harness for the browser and server tests: the production build served by the real nginx with
 * the project's own configuration, and a Chromium that cannot leave the machine.
 *
 *   const site = await startSite();            // dist/ (or $DIST) on http://127.0.0.1:<free port>/
 *   const browser = await launchBrowser();
 *   const page = await browser.newPage();
 *   const watch = await watchPage(page);       // console errors, CSP violations, failed/external requests
 *   await page.goto(new URL("telco/customer", site.url).href);
 *   assert.deepEqual(watch.problems(), []);
 *   await browser.close();
 *   await site.stop();
 *
 * nginx runs exactly the include files the container image uses (nginx/http.d, nginx/server.d, the rendered
 * nginx/templates) inside a small generated main config that differs from nginx/nginx.conf only in paths:
 * root = the dist folder, listen = a free loopback port, prefix = a temp folder. The audit service
 * (server/audit-service.ts) runs beside it on another loopback port, writing the trail to logs/audit/.
 * The CSP hash include is generated from the dist being served by the same code as the build
 * (scripts/csp.ts), so the headers always match the pages under test.
 */
import { after, before } from "node:test";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { writeCspInclude } from "../../scripts/csp.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const NGINX_DIR = join(root, "nginx");

/** The nginx binary (Debian's package); override with $NGINX. */
export const NGINX = process.env.NGINX ?? "/usr/sbin/nginx";
/** Debian's Chromium; Playwright's own browser download cannot work offline. Override with $CHROMIUM. */
export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
/** The built site the tests serve: $DIST, else dist/. */
export const DIST = process.env.DIST ?? "dist";

/** Values for nginx/templates/**\/*.template in the tests: the image's defaults (Dockerfile ENV). */
export const TEMPLATE_DEFAULTS: Record<string, string> = {
  EMBED_ORIGINS: "",
  REAL_IP_FROM: "127.0.0.1/32",
  AUDIT_UPSTREAM: "127.0.0.1:8081",
};

export interface Site {
  /** Base URL with a trailing slash, e.g. http://127.0.0.1:41234/ */
  url: string;
  /** The audit trail's folder (server/audit-store.ts): segment files of one JSON line per stored event. */
  auditDir: string;
  /** The site's access log (combined format). */
  accessLog: string;
  /** Everything nginx wrote to stderr so far (its error log: 429/413 reports, warnings). */
  errors: () => string;
  /** Stop nginx and the harness's audit service gracefully and remove the temp folder. */
  stop: () => Promise<void>;
}

export interface SiteOptions {
  /** The built site to serve (default $DIST or "dist"). */
  dist?: string;
  /** Values for the template variables (default TEMPLATE_DEFAULTS; AUDIT_UPSTREAM is the harness's service). */
  env?: Record<string, string>;
  /** host:port of an audit service the caller runs; by default the harness starts one and stops it with nginx. */
  auditUpstream?: string;
  /** Loopback ports for nginx and the harness's audit service (default: free ones; a benchmark may be given its own). */
  port?: number;
  auditPort?: number;
}

/** Fail early, with the fix in the message, when there is no built site to test. */
export function assertBuilt(dist = DIST): string {
  const abs = resolve(root, dist);
  if (!existsSync(join(abs, "index.html"))) {
    throw new Error(`no built site at ${abs} (index.html missing): run \`npm run build\` first, or set DIST=<folder>`);
  }
  return abs;
}

/** Start nginx with the project's configuration on a free loopback port; resolves once /healthz answers. */
export async function startSite({
  dist = DIST,
  env = TEMPLATE_DEFAULTS,
  auditUpstream,
  port: fixedPort,
  auditPort,
}: SiteOptions = {}): Promise<Site> {
  const distDir = assertBuilt(dist);
  if (!existsSync(NGINX)) throw new Error(`nginx not found at ${NGINX}: run \`bash scripts/setup.sh test\``);
  const prefix = await mkdtemp(join(tmpdir(), "retention-lab-nginx-"));
  const auditDir = join(prefix, "logs", "audit");
  let auditService: AuditProcess | undefined;
  try {
    await mkdir(join(prefix, "logs"));
    await mkdir(join(prefix, "conf.d"));
    await writeCspInclude(distDir, join(prefix, "conf.d"));
    if (!auditUpstream) {
      auditService = await startAuditProcess({
        AUDIT_DIR: auditDir,
        ...(auditPort ? { AUDIT_PORT: String(auditPort) } : {}),
      });
      auditUpstream = `127.0.0.1:${auditService.port}`;
    }
    checkEntrypoint(env);
    await renderTemplates(join(NGINX_DIR, "templates"), join(prefix, "conf.d"), {
      ...env,
      AUDIT_UPSTREAM: auditUpstream,
    });
    // A port taken between probing and binding makes nginx exit at once; try another.
    for (let attempt = 1; ; attempt++) {
      const port = fixedPort ?? (await freePort());
      await writeFile(join(prefix, "nginx.conf"), mainConfig({ prefix, distDir, port }));
      try {
        const site = await launchNginx(prefix, port, auditDir);
        const stopNginx = site.stop;
        site.stop = async () => {
          await stopNginx();
          await auditService?.stop();
          await rm(prefix, { recursive: true, force: true });
        };
        return site;
      } catch (error) {
        if (fixedPort || attempt >= 3 || !/Address already in use/.test(String(error))) throw error;
      }
    }
  } catch (error) {
    await auditService?.stop();
    await rm(prefix, { recursive: true, force: true });
    throw error;
  }
}

/** A running audit service (server/audit-service.ts) in its own process. */
export interface AuditProcess {
  port: number;
  child: ChildProcess;
  /** Everything it wrote to stderr so far. */
  errors: () => string;
  /** SIGTERM (its graceful stop) and wait; SIGKILL after 5 s so a test never hangs on it. */
  stop: () => Promise<void>;
}

/** Start the audit service with `env` (AUDIT_DIR at least; AUDIT_PORT, else a free one); resolves once it answers. */
export async function startAuditProcess(env: Record<string, string>): Promise<AuditProcess> {
  const port = env.AUDIT_PORT ? Number(env.AUDIT_PORT) : await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", join(root, "server", "audit-service.ts")], {
    cwd: root,
    env: { ...process.env, AUDIT_HOST: "127.0.0.1", AUDIT_PORT: String(port), ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolveExit) => child.once("exit", (code) => resolveExit(code)));
  const stop = () => stopChild(child, exited, "SIGTERM");
  // Any answer of /healthz (200, or 503 when storage is already failing) means it listens.
  await waitFor(
    `http://127.0.0.1:${port}/healthz`,
    child,
    () => stderr,
    "the audit service",
    () => true,
  );
  return { port, child, errors: () => stderr, stop };
}

/** Poll `url` until `ok(status)`; fails with the process's stderr if it exits or 10 s pass. */
async function waitFor(
  url: string,
  child: ChildProcess,
  stderr: () => string,
  what: string,
  ok: (status: number) => boolean,
): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${what} exited (${child.exitCode}) at start:\n${stderr()}`);
    try {
      if (ok((await fetch(url)).status)) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`${what} did not answer ${url} within 10 s:\n${stderr()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Every record of an audit trail folder, oldest first (each line must be valid JSON on its own). */
export async function readAuditRecords(dir: string): Promise<Array<Record<string, unknown>>> {
  if (!existsSync(dir)) return [];
  const files = (await readdir(dir)).filter((f) => /^audit-\d{8}\.jsonl$/.test(f)).sort();
  const records: Array<Record<string, unknown>> = [];
  for (const file of files) {
    const text = await readFile(join(dir, file), "utf8");
    if (text !== "" && !text.endsWith("\n")) throw new Error(`${file}: the last line is incomplete`);
    for (const line of text.split("\n").filter(Boolean)) records.push(JSON.parse(line));
  }
  return records;
}

/** The test counterpart of nginx/nginx.conf: same includes, paths under the temp prefix. */
function mainConfig({ prefix, distDir, port }: { prefix: string; distDir: string; port: number }): string {
  const q = (path: string) => JSON.stringify(path); // nginx accepts double-quoted strings with \" escapes
  return `# Generated by tests/browser/harness.ts: the test counterpart of nginx/nginx.conf.
daemon off;
worker_processes 2;
pid ${q(join(prefix, "nginx.pid"))};
error_log stderr warn;
${process.getuid?.() === 0 ? "# Running as root (CI containers): keep workers as root so they can read any checkout.\nuser root;" : ""}
events {
    worker_connections 1024;
}
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    client_body_temp_path ${q(join(prefix, "client_temp"))};
    proxy_temp_path ${q(join(prefix, "proxy_temp"))};
    fastcgi_temp_path ${q(join(prefix, "fastcgi_temp"))};
    uwsgi_temp_path ${q(join(prefix, "uwsgi_temp"))};
    scgi_temp_path ${q(join(prefix, "scgi_temp"))};
    access_log ${q(join(prefix, "logs", "access.log"))} combined;
    include ${q(join(NGINX_DIR, "http.d", "*.conf"))};
    include ${q(join(prefix, "conf.d", "*.conf"))};
    server {
        listen 127.0.0.1:${port};
        root ${q(distDir)};
        include ${q(join(NGINX_DIR, "server.d", "*.conf"))};
    }
}
`;
}

/**
 * The image's start-up checks (nginx/docker-entrypoint.d/*.sh, run by its entrypoint before the templates are
 * rendered) with the template values as environment: a value the container would refuse is refused here too.
 */
export function checkEntrypoint(env: Record<string, string>): void {
  const dir = join(NGINX_DIR, "docker-entrypoint.d");
  for (const script of readdirSync(dir)
    .filter((f) => f.endsWith(".sh"))
    .sort()) {
    const run = spawnSync("sh", [join(dir, script)], { env: { PATH: process.env.PATH, ...env }, encoding: "utf8" });
    if (run.status !== 0) throw new Error(`${script} refused the configuration: ${run.stderr.trim()}`);
  }
}

/** envsubst as the image's entrypoint does it: ${NAME} for names in env; anything else stays (nginx $vars). */
async function renderTemplates(from: string, to: string, env: Record<string, string>): Promise<void> {
  for (const entry of await readdir(from, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".template")) continue;
    const text = await readFile(join(entry.parentPath, entry.name), "utf8");
    const rendered = text.replace(/\$\{(\w+)\}/g, (_whole, name: string) => {
      if (!(name in env)) throw new Error(`template ${entry.name}: no value for \${${name}} in the test defaults`);
      return env[name]!;
    });
    await writeFile(join(to, entry.name.replace(/\.template$/, "")), rendered);
  }
}

async function launchNginx(prefix: string, port: number, auditDir: string): Promise<Site> {
  const child = spawn(NGINX, ["-p", `${prefix}/`, "-c", join(prefix, "nginx.conf"), "-e", "stderr"], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolveExit) => child.once("exit", (code) => resolveExit(code)));
  const url = `http://127.0.0.1:${port}/`;
  const stop = () => stopChild(child, exited);
  await waitFor(
    `${url}healthz`,
    child,
    () => stderr,
    "nginx",
    (status) => status === 200,
  );
  return {
    url,
    auditDir,
    accessLog: join(prefix, "logs", "access.log"),
    errors: () => stderr,
    stop,
  };
}

/** Stop gracefully (SIGQUIT for nginx); SIGKILL after 5 s so a test run never hangs on it. */
async function stopChild(child: ChildProcess, exited: Promise<number | null>, signal: NodeJS.Signals = "SIGQUIT") {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill(signal);
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}

/** A TCP port free on 127.0.0.1 at the time of asking. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

/** Chromium flags that keep the browser off the network and quiet (docs: DESIGN.md, "Browser tests"). */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * Debian's Chromium driven by Playwright. Each launch gets a fresh, temporary user-data dir (Playwright
 * creates one per launch and removes it on close), so no cache, cookie or service worker leaks between runs.
 */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: run \`bash scripts/setup.sh test\``);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

export interface PageWatch {
  /** console.error messages and uncaught exceptions */
  consoleErrors: string[];
  /** CSP violations: securitypolicyviolation events and console reports of blocked content */
  cspViolations: string[];
  /** requests that failed (network error, blocked) or answered 4xx/5xx */
  failedRequests: string[];
  /** requests to any host other than 127.0.0.1 / localhost */
  externalRequests: string[];
  /** everything above, labelled; [] for a clean page */
  problems(): string[];
}

const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * Watch a page from now on; await it before page.goto. CSP violations are collected twice on purpose:
 * the securitypolicyviolation event (from an init script, so it runs before any page script) names the
 * directive and blocked URL, and Chromium's own console report catches anything the event misses.
 */
export async function watchPage(page: Page): Promise<PageWatch> {
  const watch: PageWatch = {
    consoleErrors: [],
    cspViolations: [],
    failedRequests: [],
    externalRequests: [],
    problems() {
      return [
        ...this.consoleErrors.map((m) => `console error: ${m}`),
        ...this.cspViolations.map((m) => `CSP violation: ${m}`),
        ...this.failedRequests.map((m) => `failed request: ${m}`),
        ...this.externalRequests.map((m) => `external request: ${m}`),
      ];
    },
  };
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      console.error(
        `[securitypolicyviolation] ${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`,
      );
    });
  });
  page.on("console", (message) => {
    const text = message.text();
    if (/Content[- ]Security[- ]Policy|^\[securitypolicyviolation\]/i.test(text)) watch.cspViolations.push(text);
    else if (message.type() === "error") watch.consoleErrors.push(text);
  });
  page.on("pageerror", (error) => watch.consoleErrors.push(`uncaught ${error.name}: ${error.message}`));
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (/^https?:$/.test(url.protocol) && !LOCAL_HOSTS.has(url.hostname)) watch.externalRequests.push(request.url());
  });
  page.on("requestfailed", (request) => {
    const failure = request.failure()?.errorText ?? "failed";
    // A navigation away (or a beacon cut short by it) aborts in-flight requests: not a fault of the page.
    if (failure === "net::ERR_ABORTED" && request.url().endsWith("/api/audit")) return;
    watch.failedRequests.push(`${request.method()} ${request.url()}: ${failure}`);
  });
  page.on("response", (response) => {
    if (response.status() >= 400)
      watch.failedRequests.push(`${response.request().method()} ${response.url()}: ${response.status()}`);
  });
  return watch;
}

/**
 * The page's audit client (src/lib/audit.ts) as one script that publishes `RetentionLabAudit` on globalThis, for
 * tests that evaluate it in a page (through the DevTools protocol, so no CSP exception is needed).
 */
export async function auditClientScript(): Promise<string> {
  const { build } = await import("esbuild");
  const bundle = await build({
    entryPoints: [join(root, "src", "lib", "audit.ts")],
    bundle: true,
    write: false,
    format: "iife",
    globalName: "RetentionLabAudit",
  });
  // Evaluated as a script, the bundle's `var` would stay local to the evaluation: publish it on globalThis.
  return `${bundle.outputFiles[0]!.text}; globalThis.RetentionLabAudit = RetentionLabAudit;`;
}

/**
 * Registers a suite's before/after hooks that serve the built site ($DIST) and launch Chromium, handing both to
 * `set`, then close and stop them: the setup every browser test file needs, written once.
 */
export function withSiteAndBrowser(set: (site: Site, browser: Browser) => void, options: SiteOptions = {}): void {
  let site: Site | undefined;
  let browser: Browser | undefined;
  before(async () => {
    site = await startSite({ dist: process.env.DIST, ...options });
    browser = await launchBrowser();
    set(site, browser);
  });
  after(async () => {
    await browser?.close();
    await site?.stop();
  });
}
