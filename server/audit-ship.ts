/**
 * The audit shipper: copies the trail's lines (server/audit-store.ts) to its stdout, which the platform collects
 * (AKS: Container Insights), resuming from a committed position so a restart neither replays nor skips.
 *
 * Each pass reads complete lines from the committed position to the end of the segment, writes them to stdout,
 * waits until stdout has taken them, then commits the new position (shipped.json, atomic). A crash between the
 * write and the commit repeats at most that one chunk; every record carries its event `id`, so readers drop the
 * repeat (docs/deploy.md: at-least-once delivery, exactly once per id). A segment is left for the next one only
 * once a newer segment exists: the store never writes to an older segment again.
 *
 * On SIGTERM it ships what is left, then exits: in the pod it is the sidecar that stops last, after nginx and
 * the audit service, so lines written during their shutdown are shipped too.
 *
 *   AUDIT_DIR=/var/log/retention-lab/audit node audit-ship.mjs
 */
import { closeSync, existsSync, fstatSync, openSync, readSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { readShipped, segmentName, segments, writeShipped, type Position } from "./audit-store.js";

/** Largest chunk shipped before a commit. */
const CHUNK = 64 * 1024;

/** Where `out` takes the shipped bytes; resolves once they are handed over. */
export type Sink = (bytes: Buffer) => Promise<void>;

/** Ship everything complete that is not shipped yet; returns the number of lines shipped. */
export async function shipPending(dir: string, out: Sink): Promise<number> {
  let lines = 0;
  const buf = Buffer.alloc(CHUNK);
  for (;;) {
    const seqs = segments(dir);
    if (seqs.length === 0) return lines;
    let pos: Position = readShipped(dir) ?? { segment: seqs[0]!, offset: 0 };
    // Only shipped segments are ever deleted, so a missing one was shipped.
    if (pos.segment < seqs[0]!) pos = { segment: seqs[0]!, offset: 0 };
    const later = seqs.find((s) => s > pos.segment);
    const path = join(dir, segmentName(pos.segment));
    let n = 0;
    if (existsSync(path)) {
      const fd = openSync(path, "r");
      try {
        pos = { segment: pos.segment, offset: lineStart(fd, pos.offset) };
        n = readSync(fd, buf, 0, CHUNK, pos.offset);
      } finally {
        closeSync(fd);
      }
    }
    const end = buf.subarray(0, n).lastIndexOf(0x0a) + 1;
    if (end > 0) {
      const chunk = Buffer.from(buf.subarray(0, end));
      await out(chunk);
      for (const byte of chunk) if (byte === 0x0a) lines += 1;
      writeShipped(dir, { segment: pos.segment, offset: pos.offset + end });
    } else if (later !== undefined) {
      writeShipped(dir, { segment: later, offset: 0 });
    } else {
      return lines;
    }
  }
}

/**
 * Where shipping resumes: `offset` itself when it starts a line (the normal case), else the start of the line that
 * holds it. The store cuts a segment back when a write fails after the line reached the file (fsync failed); the
 * shipper may have shipped that line already (it is then shipped again, with its id, when the page's retry is
 * stored), and new lines may since have filled the cut-off bytes: resuming mid-line would ship half a record.
 */
function lineStart(fd: number, offset: number): number {
  const end = Math.min(offset, fstatSync(fd).size);
  if (end === 0) return 0;
  const back = Buffer.alloc(Math.min(end, 4096));
  const n = readSync(fd, back, 0, back.length, end - back.length);
  const at = back.subarray(0, n).lastIndexOf(0x0a);
  // A line is at most 4 KiB (AUDIT_MAX_BODY plus the server's fields); no newline in the last 4 KiB means the file
  // starts there.
  return at < 0 ? end - n : end - n + at + 1;
}

/** A sink writing to a stream such as process.stdout, resolving when the stream has taken the bytes. */
export function streamSink(stream: NodeJS.WritableStream): Sink {
  return (bytes) =>
    new Promise((resolve, reject) => stream.write(bytes, (error) => (error ? reject(error) : resolve())));
}

// Run as a program: poll every AUDIT_SHIP_INTERVAL_MS (500); on SIGTERM ship the rest and exit.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dir = process.env.AUDIT_DIR;
  if (!dir) throw new Error("AUDIT_DIR is not set: the folder of the audit trail to ship");
  const interval = Number(process.env.AUDIT_SHIP_INTERVAL_MS ?? 500);
  if (!Number.isInteger(interval) || interval < 10)
    throw new Error(`AUDIT_SHIP_INTERVAL_MS=${process.env.AUDIT_SHIP_INTERVAL_MS}: expected an integer >= 10`);
  const out = streamSink(process.stdout);
  let stopping = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  // One pass at a time: the SIGTERM pass waits for a running one, or both would ship the same chunk.
  let running: Promise<void> = Promise.resolve();
  const pass = () => {
    running = shipPending(dir, out).then(
      () => {},
      // Retried on the next pass; the records stay on disk meanwhile.
      (error) => void process.stderr.write(`audit-ship: ${(error as Error).message}\n`),
    );
    void running.then(() => {
      if (!stopping) timer = setTimeout(pass, interval);
    });
  };
  process.once("SIGTERM", () => {
    stopping = true;
    clearTimeout(timer);
    void running
      .then(() => shipPending(dir, out))
      .then(
        () => process.exit(0),
        (error) => {
          process.stderr.write(`audit-ship: at shutdown: ${(error as Error).message}\n`);
          process.exit(1);
        },
      );
  });
  process.stderr.write(`audit-ship: shipping ${dir} every ${interval} ms\n`);
  pass();
}
