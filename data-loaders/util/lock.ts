/**
 * A lock file that knows its owner: `{pid, host, started}` written with O_EXCL. A waiter takes over a lock whose
 * owner is a dead process on this host (a killed build never blocks the next one), and the owner removes its lock on
 * SIGINT/SIGTERM before exiting. A lock held by a live process is waited for, with a line every 10 s.
 */
import { rmSync } from "node:fs";
import { hostname } from "node:os";
import { mkdir, open, readFile, rm } from "node:fs/promises";
import { dirname } from "node:path";

interface Owner {
  pid: number;
  host: string;
  started: string;
}

/** Whether `pid` is a running process on this machine (EPERM: it exists but is not ours). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function ownerOf(path: string): Promise<Owner | null> {
  try {
    const owner = JSON.parse(await readFile(path, "utf8")) as Owner;
    return Number.isInteger(owner.pid) ? owner : null;
  } catch {
    return null; // being written, or not ours: treat as unknown
  }
}

const held = new Set<string>();
let handlersInstalled = false;

function installSignalHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  for (const [signal, code] of [
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const) {
    process.once(signal, () => {
      // Synchronous removal: the process is about to exit.
      for (const path of held) {
        rmSync(path, { force: true });
      }
      process.exit(code);
    });
  }
}

/** Runs `work` while holding the lock at `path`; waits for a live owner, takes over from a dead one. */
export async function withLock<T>(
  path: string,
  work: () => Promise<T>,
  { log = (line: string): void => void process.stderr.write(`${line}\n`), pollMs = 250 } = {},
): Promise<T> {
  await mkdir(dirname(path), { recursive: true });
  const me: Owner = { pid: process.pid, host: hostname(), started: new Date().toISOString() };
  for (let waited = 0; ; waited += pollMs) {
    try {
      const file = await open(path, "wx");
      await file.writeFile(JSON.stringify(me));
      await file.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const owner = await ownerOf(path);
    if (owner && owner.host === me.host && !processAlive(owner.pid)) {
      log(`lock ${path}: its owner (pid ${owner.pid}, since ${owner.started}) is gone; taking it over`);
      await rm(path, { force: true });
      continue;
    }
    if (waited > 0 && waited % 10_000 === 0) {
      log(`waiting for the lock ${path} (held by pid ${owner?.pid ?? "?"} on ${owner?.host ?? "?"})`);
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
  held.add(path);
  installSignalHandlers();
  try {
    return await work();
  } finally {
    held.delete(path);
    await rm(path, { force: true });
  }
}
