/**
 * The audit trail on disk: numbered segment files of JSON lines (audit-00000001.jsonl, …) in one folder, the
 * highest being the one written to, and shipped.json, the shipper's committed position (server/audit-ship.ts).
 *
 * - append() returns only after the line is written whole and fsynced; on any failure it cuts the file back to
 *   its last complete line and throws, so nothing half-written is ever left and nothing failed is acknowledged.
 * - Rotation by size, with a bounded number of segments. The oldest segment is deleted only once the shipper has
 *   moved past it; if it has not, the store refuses new lines (the budget is spent) instead of losing records.
 */
import {
  closeSync,
  existsSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";

/** A segment's file name: sequence number, zero-padded so names sort like numbers. */
export const segmentName = (seq: number) => `audit-${String(seq).padStart(8, "0")}.jsonl`;
const SEGMENT = /^audit-(\d{8})\.jsonl$/;
/** The shipper's committed position, written atomically. */
export const SHIPPED_FILE = "shipped.json";

/** A position in the trail: segment number and byte offset in it. */
export interface Position {
  segment: number;
  offset: number;
}

/** Size bounds: bytes per segment and number of segments (the disk budget is their product). */
export interface StoreLimits {
  segmentBytes: number;
  segments: number;
}

/** A line that was not stored, with the reason (the service answers 503 with it). */
export class StoreError extends Error {}

/** The segment numbers in `dir`, ascending (none before the folder exists). */
export function segments(dir: string): number[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((name) => SEGMENT.exec(name)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

/** fsync a folder, so a created, renamed or deleted entry survives a crash. */
export function fsyncDir(dir: string): void {
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The shipper's committed position, or null before it has committed anything. */
export function readShipped(dir: string): Position | null {
  const path = join(dir, SHIPPED_FILE);
  if (!existsSync(path)) return null;
  const pos = JSON.parse(readFileSync(path, "utf8"));
  if (!Number.isInteger(pos?.segment) || !Number.isInteger(pos?.offset))
    throw new Error(`${path}: not a position: ${JSON.stringify(pos)}`);
  return pos;
}

/** Commit a position: temp file, fsync, rename over the old one, fsync the folder (all or nothing). */
export function writeShipped(dir: string, pos: Position): void {
  const tmp = join(dir, `${SHIPPED_FILE}.tmp`);
  const fd = openSync(tmp, "w");
  try {
    writeSync(fd, JSON.stringify(pos));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, join(dir, SHIPPED_FILE));
  fsyncDir(dir);
}

/** Write all of `buf` at the file's end (a write may be partial). */
function writeAll(fd: number, buf: Buffer): void {
  for (let done = 0; done < buf.length; ) done += writeSync(fd, buf, done);
}

/** Size of a probe written by the health check: about two of the largest lines. */
const PROBE_BYTES = 8192;
/** An upper bound of one stored line: the 2 KiB body, re-serialized, plus the server's fields. */
const LINE_MAX = 4096;

/** The append-only, rotating, fsynced audit file set of one writer. */
export class AuditStore {
  private fd = -1;
  private seq = 0;
  private size = 0;
  /** The last storage failure, until a write or a health probe succeeds again. */
  failure: string | null = null;

  constructor(
    readonly dir: string,
    readonly limits: StoreLimits,
  ) {}

  /** Open the newest segment; a last line without its newline (a crash mid-write, never acknowledged) is cut. */
  private open(): void {
    mkdirSync(this.dir, { recursive: true });
    const seq = segments(this.dir).at(-1) ?? 1;
    // Read-write: the recovery reads the end. this.fd is set only once this.size is known, because undo()
    // truncates this.fd to this.size.
    const fd = openSync(join(this.dir, segmentName(seq)), "a+");
    try {
      const size = fstatSync(fd).size;
      const complete = size === 0 ? 0 : completeLength(fd, size);
      if (complete !== size) {
        ftruncateSync(fd, complete);
        fsyncSync(fd);
      }
      [this.fd, this.seq, this.size] = [fd, seq, complete];
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  }

  /** Store one line (without its newline); returns after fsync, throws StoreError when it was not stored. */
  append(line: string): void {
    const buf = Buffer.from(`${line}\n`, "utf8");
    try {
      if (this.fd < 0) this.open();
      if (this.size > 0 && this.size + buf.length > this.limits.segmentBytes) this.rotate();
      writeAll(this.fd, buf);
      fsyncSync(this.fd);
      this.size += buf.length;
      this.failure = null;
    } catch (error) {
      const where = this.fd < 0 ? this.dir : join(this.dir, segmentName(this.seq));
      this.failure = `${where}: ${(error as Error).message}`;
      this.undo();
      throw new StoreError(this.failure);
    }
  }

  /** After a failed append: cut the segment back to its last complete line, or reopen on the next append. */
  private undo(): void {
    if (this.fd < 0) return;
    try {
      ftruncateSync(this.fd, this.size);
      fsyncSync(this.fd);
    } catch {
      this.close(); // open() cuts a partial line when it reopens
    }
  }

  /** Start the next segment; delete the oldest only if the shipper has moved past it. */
  private rotate(): void {
    const seqs = segments(this.dir);
    if (seqs.length >= this.limits.segments) {
      const oldest = seqs[0]!;
      const shipped = readShipped(this.dir);
      if (!shipped || shipped.segment <= oldest)
        throw new Error(
          `audit storage budget spent: ${seqs.length} segments of up to ${this.limits.segmentBytes} bytes, ` +
            `and the oldest (${segmentName(oldest)}) is not shipped yet (shipped: ${JSON.stringify(shipped)})`,
        );
      unlinkSync(join(this.dir, segmentName(oldest)));
    }
    fsyncSync(this.fd);
    this.close();
    this.seq += 1;
    this.fd = openSync(join(this.dir, segmentName(this.seq)), "ax");
    this.size = 0;
    fsyncDir(this.dir);
  }

  /**
   * Whether a record could be stored now: a probe of two records' size is written, fsynced and removed (a full
   * or read-only disk fails it), and the segment budget must not be spent. Clears a past failure on success.
   */
  health(): { ok: boolean; error?: string } {
    const probe = join(this.dir, ".probe");
    try {
      mkdirSync(this.dir, { recursive: true });
      const fd = openSync(probe, "w");
      try {
        writeAll(fd, Buffer.alloc(PROBE_BYTES, 0x20));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
        unlinkSync(probe);
      }
      const seqs = segments(this.dir);
      const shipped = readShipped(this.dir);
      // The next line would need a new segment, and there is no room for one.
      const full = this.size + LINE_MAX > this.limits.segmentBytes;
      if (full && seqs.length >= this.limits.segments && (!shipped || shipped.segment <= seqs[0]!))
        throw new Error(`audit storage budget spent (${seqs.length} segments), the shipper is behind`);
      this.failure = null;
      return { ok: true };
    } catch (error) {
      this.failure = `${this.dir}: ${(error as Error).message}`;
      return { ok: false, error: this.failure };
    }
  }

  /** The event IDs in the newest segments, up to `limit` (a restarted service refuses to store them again). */
  storedIds(limit: number): string[] {
    if (!existsSync(this.dir)) return [];
    const ids: string[] = [];
    for (const seq of segments(this.dir).reverse()) {
      const lines = readFileSync(join(this.dir, segmentName(seq)), "utf8").split("\n");
      for (let i = lines.length - 1; i >= 0 && ids.length < limit; i--) {
        // A partial last line (a crash mid-write) was never acknowledged: skip it.
        try {
          ids.push(String(JSON.parse(lines[i]!).id));
        } catch {}
      }
      if (ids.length >= limit) break;
    }
    return ids.reverse();
  }

  /** Close the current segment (the next append reopens it). */
  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}

/** Length of a file up to and including its last newline (0 if it has none). */
function completeLength(fd: number, size: number): number {
  const chunk = Buffer.alloc(65536);
  for (let end = size; end > 0; ) {
    const start = Math.max(0, end - chunk.length);
    const n = readSync(fd, chunk, 0, end - start, start);
    const at = chunk.subarray(0, n).lastIndexOf(0x0a);
    if (at >= 0) return start + at + 1;
    end = start;
  }
  return 0;
}
