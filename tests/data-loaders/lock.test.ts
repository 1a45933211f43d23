import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { processAlive, withLock } from "../../data-loaders/util/lock.js";

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
  const pid = Number(child.stdout.toString());
  assert.ok(!processAlive(pid));
  return pid;
}

describe("withLock", () => {
  it("writes its owner into the lock while working and removes it after", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "lock-")), "run.lock");
    const result = await withLock(path, async () => {
      const owner = JSON.parse(readFileSync(path, "utf8"));
      assert.equal(owner.pid, process.pid);
      assert.equal(owner.host, hostname());
      return 42;
    });
    assert.equal(result, 42);
    assert.ok(!existsSync(path));
  });

  it("takes over at once from an owner that died (a killed build never blocks the next one)", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "lock-")), "run.lock");
    const pid = deadPid();
    writeFileSync(path, JSON.stringify({ pid, host: hostname(), started: "2026-01-01T00:00:00.000Z" }));
    const lines: string[] = [];
    const polls = await withLock(path, async () => "ran", { log: (l: string) => void lines.push(l), pollMs: 5 });
    assert.equal(polls, "ran");
    assert.match(lines[0], new RegExp(`owner \\(pid ${pid},.*is gone; taking it over`));
  });

  it("waits for a live owner and runs once it lets go", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "lock-")), "run.lock");
    const order: string[] = [];
    let release!: () => void;
    const first = withLock(
      path,
      () =>
        new Promise<void>((r) => {
          release = () => {
            order.push("first");
            r();
          };
        }),
    );
    await new Promise((r) => setTimeout(r, 20));
    const second = withLock(path, async () => void order.push("second"), { pollMs: 5 });
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(order, [], "the second waits while the first holds the lock");
    release();
    await Promise.all([first, second]);
    assert.deepEqual(order, ["first", "second"]);
  });

  it("removes its lock when the process is killed with SIGTERM", () => {
    const dir = mkdtempSync(join(tmpdir(), "lock-"));
    const path = join(dir, "run.lock");
    const script = `
      import { withLock } from ${JSON.stringify(new URL("../../data-loaders/util/lock.ts", import.meta.url).pathname)};
      await withLock(${JSON.stringify(path)}, async () => { process.kill(process.pid, "SIGTERM"); await new Promise((r) => setTimeout(r, 5000)); });
    `;
    const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script]);
    assert.equal(child.status, 143, child.stderr.toString());
    assert.ok(!existsSync(path), "the lock is gone");
  });
});
