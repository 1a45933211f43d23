/**
 * nginx/nginx.conf, the image's main config, is valid for the nginx here (`nginx -t`) once its absolute image
 * paths are mapped into a temp folder, and it includes the same folders as the test harness.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { cspInclude } from "../../scripts/csp.js";
import { NGINX, TEMPLATE_DEFAULTS, checkEntrypoint } from "../browser/harness.js";
import { root } from "./render.js";

describe("nginx/nginx.conf", () => {
  it("includes http.d, server.d, the generated CSP hashes and the rendered templates", async () => {
    const conf = await readFile(join(root, "nginx", "nginx.conf"), "utf8");
    for (const include of [
      "/etc/nginx/http.d/*.conf",
      "/etc/nginx/server.d/*.conf",
      "/etc/nginx/generated/csp-hashes.conf",
      "/tmp/retention-lab/*.conf",
    ]) {
      assert.ok(conf.includes(`include ${include};`), include);
    }
    assert.match(conf, /pid \/tmp\//);
    assert.match(conf, /listen 8080;/);
  });

  it("passes nginx -t with the include files, as the image would load them", async () => {
    assert.ok(existsSync(NGINX), `nginx not found at ${NGINX}: run \`bash scripts/setup.sh test\``);
    const dir = await mkdtemp(join(tmpdir(), "nginx-conf-test-"));
    try {
      const etc = join(dir, "etc");
      await cp(join(root, "nginx"), etc, { recursive: true });
      await mkdir(join(etc, "generated"));
      await writeFile(join(etc, "generated", "csp-hashes.conf"), cspInclude([]));
      await mkdir(join(dir, "tmp", "retention-lab"), { recursive: true });
      for (const name of await readdir(join(etc, "templates", "retention-lab"))) {
        const text = await readFile(join(etc, "templates", "retention-lab", name), "utf8");
        await writeFile(
          join(dir, "tmp", "retention-lab", name.replace(/\.template$/, "")),
          text.replace(/\$\{(\w+)\}/g, (_, v: string) => TEMPLATE_DEFAULTS[v]!),
        );
      }
      await mkdir(join(dir, "logs"));
      const conf = (await readFile(join(etc, "nginx.conf"), "utf8"))
        // The image's paths start a word; /etc/nginx/mime.types is the stock file both systems have.
        .replace(/(?<=\s)\/(etc\/nginx|tmp)\/(?!mime\.types)/g, (_, top) => (top === "tmp" ? `${dir}/tmp/` : `${etc}/`))
        .replace("listen 8080;", "listen 127.0.0.1:8080;")
        // Node's stdio pipes are sockets, which /dev/stdout cannot be opened on (containers use a pipe).
        .replace("access_log /dev/stdout", `access_log ${dir}/access.log`);
      await writeFile(join(etc, "nginx.conf"), conf);
      execFileSync(NGINX, ["-t", "-q", "-p", `${dir}/`, "-c", join(etc, "nginx.conf"), "-e", "stderr"], {
        stdio: "pipe",
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("EMBED_ORIGINS start-up check (nginx/docker-entrypoint.d/15-check-embed-origins.sh)", () => {
  it("accepts nothing, one origin or several exact origins", () => {
    for (const value of ["", "https://wiki.example.com", "http://127.0.0.1:8443  https://a-b.example.org"]) {
      assert.doesNotThrow(() => checkEntrypoint({ ...TEMPLATE_DEFAULTS, EMBED_ORIGINS: value }), value);
    }
  });

  it("refuses anything that is not an origin, naming the entry", () => {
    for (const bad of [
      "'self'",
      "https://*.example.com",
      "https://wiki.example.com/path",
      "wiki.example.com",
      "https://a.example;script-src",
      'https://a.example"',
      "ftp://files.example.com",
    ]) {
      assert.throws(
        () => checkEntrypoint({ ...TEMPLATE_DEFAULTS, EMBED_ORIGINS: `https://ok.example ${bad}` }),
        (error: Error) => error.message.includes(`"${bad}" is not an origin`),
        bad,
      );
    }
  });
});
