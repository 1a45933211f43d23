// Two real SQL engines for the SQL export's tests and benchmark: DuckDB in process (@duckdb/node-api) and a
// throwaway PostgreSQL cluster (Debian's postgresql package) on loopback, driven through psql.
import { freePort } from "../browser/harness.js";
import { execFile, execFileSync } from "node:child_process";
import {
  appendFileSync,
  chmodSync,
  chownSync,
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";

const run = promisify(execFile);

/** A query's result: one object per row, by column name. */
export type Rows = Record<string, unknown>[];

export interface SqlEngine {
  name: string;
  /** Runs statements, returning nothing. */
  exec(sql: string): Promise<void>;
  /** Runs one query; numbers come back as numbers, NULL as null. */
  query(sql: string): Promise<Rows>;
  /** Loads a CSV file (header row; empty unquoted field = NULL) into an existing table. */
  loadCsv(table: string, path: string): Promise<void>;
  close(): Promise<void>;
}

/** DuckDB in memory, one connection. */
export async function startDuckDb(): Promise<SqlEngine> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection: DuckDBConnection = await instance.connect();
  return {
    name: "duckdb",
    exec: async (sql) => void (await connection.run(sql)),
    query: async (sql) => {
      const reader = await connection.runAndReadAll(sql);
      // Counts are BIGINT; as numbers they compare like PostgreSQL's.
      return reader
        .getRowObjectsJS()
        .map((row) =>
          Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === "bigint" ? Number(v) : v])),
        );
    },
    loadCsv: async (table, path) =>
      void (await connection.run(`COPY ${table} FROM '${path}' (FORMAT csv, HEADER true)`)),
    close: async () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** The folder holding initdb, pg_ctl and psql: $PG_BIN, else the newest /usr/lib/postgresql/<version>/bin. */
function postgresBin(): string {
  if (process.env.PG_BIN) {
    if (!existsSync(join(process.env.PG_BIN, "initdb"))) throw new Error(`PG_BIN=${process.env.PG_BIN} has no initdb`);
    return process.env.PG_BIN;
  }
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, "bin", "initdb"))) : [];
  if (!versions.length)
    throw new Error(
      `PostgreSQL not found: no ${root}/<version>/bin/initdb. Install the Debian package "postgresql" ` +
        `(apt-get install postgresql) or set PG_BIN to the folder holding initdb, pg_ctl and psql.`,
    );
  return join(root, versions.sort((a, b) => Number(b) - Number(a))[0], "bin");
}

/**
 * A throwaway PostgreSQL cluster in a temp folder, listening on 127.0.0.1 at a free port only.
 * initdb refuses to run as root, so as root the cluster belongs to the "postgres" user the package creates
 * and every command runs through runuser; otherwise it runs as the current user. close() stops and deletes it.
 */
export async function startPostgres(): Promise<SqlEngine> {
  const bin = postgresBin();
  const root = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), "retention-lab-pg-"));
  const data = join(dir, "data");
  let owner: { uid: number; gid: number } | undefined;
  if (root) {
    const id = (flag: string) => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim());
    try {
      owner = { uid: id("-u"), gid: id("-g") };
    } catch {
      throw new Error(`running as root and there is no "postgres" user to own the cluster (install "postgresql")`);
    }
    chownSync(dir, owner.uid, owner.gid);
  }
  chmodSync(dir, 0o700);
  const as = (cmd: string, args: string[]) =>
    root
      ? (["runuser", ["-u", "postgres", "--", join(bin, cmd), ...args]] as const)
      : ([join(bin, cmd), args] as const);
  const sh = async (cmd: string, args: string[], options: { timeout?: number } = {}) => {
    const [file, argv] = as(cmd, args);
    try {
      return (await run(file, [...argv], { maxBuffer: 1 << 30, timeout: options.timeout ?? 600_000 })).stdout;
    } catch (error) {
      const e = error as { stderr?: string; message: string };
      throw new Error(`${cmd} ${args.slice(0, 2).join(" ")}… failed: ${(e.stderr || e.message).trim()}`);
    }
  };
  const port = await freePort();
  // Trust authentication is acceptable for a throwaway cluster that listens on loopback only and holds test data.
  // jit=off: LLVM compiling the model's large expression took 200 s where interpreting it takes 4 s (600 trees).
  const options =
    `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${dir} -c fsync=off ` +
    `-c jit=${process.env.PG_JIT ?? "off"}`;
  try {
    await sh("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "--locale=C", "--encoding=UTF8", "-N"]);
    await sh("pg_ctl", ["-D", data, "-o", options, "-l", join(dir, "log"), "-w", "-t", "60", "start"]);
  } catch (error) {
    const log = existsSync(join(dir, "log")) ? readFileSync(join(dir, "log"), "utf8").slice(-2000) : "";
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`could not start PostgreSQL from ${bin}: ${(error as Error).message}${log ? `\n${log}` : ""}`);
  }
  // If the process ends without close() (a crash, an interrupted test), the server must not outlive it.
  const [stopFile, stopArgs] = as("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
  const stopOnExit = () => {
    try {
      execFileSync(stopFile, [...stopArgs], { stdio: "ignore" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  process.once("exit", stopOnExit);
  const connect = ["-X", "-q", "-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-d", "postgres"];
  // Large scripts go through a file the cluster's user can read.
  let files = 0;
  const psqlFile = async (sql: string, extra: string[]) => {
    const file = join(dir, `q${files++}.sql`);
    writeFileSync(file, sql);
    if (owner) chownSync(file, owner.uid, owner.gid);
    try {
      return await sh("psql", [...connect, "-v", "ON_ERROR_STOP=1", ...extra, "-f", file]);
    } finally {
      rmSync(file, { force: true });
    }
  };
  return {
    name: "postgresql",
    exec: async (sql) => void (await psqlFile(sql, [])),
    query: async (sql) => {
      // CSV out: header, quoted text; numbers parse back exactly (PostgreSQL ≥ 12 prints shortest round-trip).
      const out = await psqlFile(`COPY (${sql}) TO STDOUT WITH (FORMAT csv, HEADER true, NULL '\\N')`, []);
      const lines = out.split("\n").filter((l) => l.length);
      const header = lines[0].split(",");
      return lines.slice(1).map((line) => {
        const cells = line.split(","); // our queries return ids, numbers and labels: no commas inside
        return Object.fromEntries(header.map((h, i) => [h, parseCell(cells[i])]));
      });
    },
    loadCsv: async (table, path) => {
      // A copy the cluster's user can read (the caller's temp folder may be private to root).
      const file = join(dir, "load.csv");
      copyFileSync(path, file);
      if (owner) chownSync(file, owner.uid, owner.gid);
      try {
        await sh("psql", [
          ...connect,
          "-v",
          "ON_ERROR_STOP=1",
          "-c",
          `\\copy ${table} FROM '${file}' WITH (FORMAT csv, HEADER true)`,
        ]);
      } finally {
        rmSync(file, { force: true });
      }
    },
    close: async () => {
      process.off("exit", stopOnExit);
      try {
        await sh("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

function parseCell(cell: string): unknown {
  if (cell === "\\N") return null;
  const unquoted = cell.startsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell;
  return /^-?(\d|Infinity|NaN)/.test(unquoted) && Number.isFinite(Number(unquoted)) ? Number(unquoted) : unquoted;
}

/** Writes rows as CSV with the given columns, streaming: null/undefined/NaN → empty (NULL), strings quoted. */
export function writeCsv(path: string, rows: Iterable<object>, columns: readonly string[]): void {
  const cell = (v: unknown) =>
    v === null || v === undefined || Number.isNaN(v)
      ? ""
      : typeof v === "number"
        ? String(v)
        : `"${String(v).replace(/"/g, '""')}"`;
  writeFileSync(path, `${columns.join(",")}\n`);
  let lines: string[] = [];
  const flush = () => {
    if (lines.length) appendFileSync(path, `${lines.join("\n")}\n`);
    lines = [];
  };
  for (const row of rows) {
    lines.push(columns.map((c) => cell((row as Record<string, unknown>)[c])).join(","));
    if (lines.length === 50_000) flush();
  }
  flush();
}
