/**
 * Wall time and peak memory of the pipeline's stages, for the benchmark (scripts/bench-pipeline.ts): each stage is
 * logged as `stage <name>: <s> s, peak RSS <MB> MB`, and with PIPELINE_STAGES=<file> also appended to that file as
 * one JSON line. The peak is the kernel's high-water mark of the process's resident memory (VmHWM), reset at the
 * start of each stage where Linux allows it (/proc/self/clear_refs); elsewhere it is the peak so far.
 */
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";

function peakRssMb(): number | null {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
    return match ? Math.round(Number(match[1]) / 1024) : null;
  } catch {
    return null;
  }
}

function resetPeak(): void {
  try {
    writeFileSync("/proc/self/clear_refs", "5");
  } catch {
    // not Linux, or not allowed: the peak is then the process's peak so far
  }
}

export interface StageRecord {
  stage: string;
  seconds: number;
  peakRssMb: number | null;
}

/** Runs one stage, timing it and recording its peak resident memory. */
export async function stage<T>(name: string, log: (line: string) => void, f: () => Promise<T> | T): Promise<T> {
  resetPeak();
  const start = performance.now();
  const result = await f();
  const record: StageRecord = {
    stage: name,
    seconds: Number(((performance.now() - start) / 1000).toFixed(2)),
    peakRssMb: peakRssMb(),
  };
  log(`stage ${name}: ${record.seconds} s, peak RSS ${record.peakRssMb ?? "?"} MB`);
  const file = process.env.PIPELINE_STAGES;
  if (file) appendFileSync(file, `${JSON.stringify(record)}\n`);
  return result;
}
