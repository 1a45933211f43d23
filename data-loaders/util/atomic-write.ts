import { randomBytes } from "node:crypto";
import { mkdir, rename, rm, utimes, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

// The temporary file lives in the target's own directory: rename(2) is atomic only within one file system,
// so readers see either the old file or the complete new one, never a half-written one.
function temporaryPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
}

/**
 * Writes bytes to `path` atomically (temporary file in the same directory, then rename); creates the directory.
 * With `mtime`, the file carries that modification time from the moment it appears.
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string, mtime?: Date): Promise<void> {
  await writeStreamAtomic(path, async (temp) => {
    await writeFile(temp, data);
    if (mtime) await utimes(temp, mtime, mtime);
  });
}

/**
 * Runs `write(temp)` to produce a temporary file in `path`'s directory, then renames it to `path`.
 * If `write` fails, the temporary file is removed and `path` is left as it was.
 */
export async function writeStreamAtomic(path: string, write: (temp: string) => Promise<void>): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = temporaryPath(path);
  try {
    await write(temp);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
