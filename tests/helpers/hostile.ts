// Hostile notes against the real CLI (issue 12, snippets-spec.md §5): canaries the notes must never reach
// (files in the checkout and HOME, a secret in the verifier's environment, a TCP server, a UDP port, a unix
// socket file and an abstract socket this process listens on), notes built from python, and the CLI run
// from any folder as a user would run it.
import { spawn, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import dgram from "node:dgram";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Report, SnippetResult } from "../../plugins/snippets/types.ts";
import { projectRoot } from "./cli.ts";

const F = "```";

/** tsx by absolute path, so that the CLI runs from any working folder (not only the checkout). */
const TSX_LOADER = pathToFileURL(path.join(projectRoot, "node_modules/tsx/dist/loader.mjs")).href;

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
  /** When the process ended (Date.now()). */
  endedAt: number;
}

export interface CliOptions {
  cwd?: string;
  /** The whole environment (nothing of this process's is added). */
  env: Record<string, string>;
  /**
   * Extra open descriptors the CLI inherits as fds 20, 21, … (what a CI runner or a shell may leave open; node
   * itself reuses the lowest numbers, so that only higher ones reach what it starts).
   */
  fds?: number[];
  /** Killed past this (default 170 s): a run that hangs fails its own test, not the whole file. */
  timeoutMs?: number;
}

/** `npm run verify|build -- args`, asynchronously, so that this process's canary servers keep listening. */
export function runCli(script: "verify" | "build", args: string[], opts: CliOptions): Promise<CliRun> {
  const entry = path.join(projectRoot, "scripts", `${script}.ts`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", TSX_LOADER, entry, ...args], {
      cwd: opts.cwd ?? projectRoot,
      env: opts.env,
      stdio: ["ignore", "pipe", "pipe", ...(opts.fds?.length ? [...Array<"ignore">(17).fill("ignore"), ...opts.fds] : [])],
    });
    let stdout = "";
    let stderr = "";
    child.stdout!.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    child.stderr!.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 170_000);
    child.on("error", reject);
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr, endedAt: Date.now() });
    });
  });
}

/** A markdown note built block by block; each block's snippet index is returned to find its result. */
export class Note {
  private readonly lines: string[];
  private count = 0;

  constructor(title = "hostile") {
    this.lines = ["---", `title: ${title}`, "date: 2024-01-02 10:00:00", "---", "", "A note from a pull request.", ""];
  }

  /** A fenced block (`info` is the info string), with its claimed output as the next block when given. */
  block(info: string, code: string, expected?: string): number {
    const index = ++this.count;
    this.lines.push(F + info, code.replace(/\n+$/, ""), F, "");
    if (expected !== undefined) {
      this.count++;
      this.lines.push("Output:", "", F, expected, F, "");
    }
    return index;
  }

  /** A python block that first gets `CFG` (the canaries' paths and values) from the test. */
  python(code: string, cfg: unknown, expected?: string, info = "python timeout=30"): number {
    return this.block(info, `import json\nCFG = json.loads(r'''${JSON.stringify(cfg)}''')\n${code.replace(/^\n/, "")}`, expected);
  }

  toString(): string {
    return this.lines.join("\n");
  }
}

export function writeNotes(dir: string, notes: Record<string, Note | string>): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, note] of Object.entries(notes)) fs.writeFileSync(path.join(dir, name), String(note));
}

export function readReport(file: string): Report {
  return JSON.parse(fs.readFileSync(file, "utf8")) as Report;
}

export function resultOf(report: Report, source: string, index: number): SnippetResult {
  const r = report.snippets.find((s) => s.source === source && s.index === index);
  if (!r) throw new Error(`no result for ${source} block ${index}; results: ${report.snippets.map((s) => `${s.source}#${s.index}`).join(", ")}`);
  return r;
}

/** What a block printed, as the report shows it against its claim (the text the claim would need). */
export function printed(r: SnippetResult): string {
  return (r.actual ?? []).map((a) => a.actual).join("\n");
}

/** A short description of a result for assertion messages. */
export function describe(r: SnippetResult): string {
  return `${r.source} block ${r.index}: ${r.status}: ${r.message}\n${printed(r).slice(0, 3000)}`;
}

export interface Listener {
  /** What reached it: one line per connection or datagram. */
  hits: string[];
  close(): Promise<void>;
}

function listen(server: net.Server, where: string | { host: string; port: number }): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    if (typeof where === "string") server.listen(where, () => resolve());
    else server.listen(where.port, where.host, () => resolve());
  });
}

function recordingServer(label: string, hits: string[]): net.Server {
  return net.createServer((socket) => {
    hits.push(`${label}: connection`);
    socket.on("data", (d) => hits.push(`${label}: ${d.toString("utf8", 0, 200)}`));
    socket.on("error", () => {});
    socket.end("canary\n");
  });
}

/** A TCP server on each of the host's IPv4 addresses (loopback first), recording every connection. */
export async function tcpCanaries(): Promise<Listener & { endpoints: [string, number][] }> {
  const hits: string[] = [];
  const hosts = ["127.0.0.1", ...Object.values(os.networkInterfaces()).flat().filter((i) => i && i.family === "IPv4" && !i.internal).map((i) => i!.address)];
  const servers: net.Server[] = [];
  const endpoints: [string, number][] = [];
  for (const host of hosts) {
    const server = recordingServer(`tcp ${host}`, hits);
    await listen(server, { host, port: 0 });
    servers.push(server);
    endpoints.push([host, (server.address() as net.AddressInfo).port]);
  }
  return { hits, endpoints, close: () => Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r())))).then(() => {}) };
}

/** A UDP port on 127.0.0.1 (where a DNS query to a local resolver would go), recording every datagram. */
export async function udpCanary(): Promise<Listener & { port: number }> {
  const hits: string[] = [];
  const sock = dgram.createSocket("udp4");
  sock.on("message", (m, from) => hits.push(`udp from ${from.address}:${from.port}: ${m.toString("utf8", 0, 100)}`));
  await new Promise<void>((resolve) => sock.bind(0, "127.0.0.1", () => resolve()));
  return { hits, port: sock.address().port, close: () => new Promise<void>((r) => sock.close(() => r())) };
}

/** A unix socket file (a host service, as /run/docker.sock would be) or, with `abstract`, an abstract socket. */
export async function unixCanary(name: string, abstract = false): Promise<Listener> {
  const hits: string[] = [];
  const server = recordingServer(abstract ? `abstract ${name}` : `unix ${name}`, hits);
  await listen(server, abstract ? `\0${name}` : name);
  return { hits, close: () => new Promise<void>((r) => server.close(() => r())) };
}

export function nonce(): string {
  return crypto.randomBytes(6).toString("hex");
}

/** Every regular file below `p` (or `p` itself), with its bytes, as one digest; sockets and links are names only. */
function digest(p: string, hash = crypto.createHash("sha256")): crypto.Hash {
  const st = fs.lstatSync(p);
  hash.update(`${p}\0${st.isDirectory() ? "d" : st.isFile() ? "f" : "o"}\0`);
  if (st.isFile()) hash.update(fs.readFileSync(p));
  else if (st.isDirectory()) for (const name of fs.readdirSync(p).sort()) digest(path.join(p, name), hash);
  return hash;
}

/** Files whose every byte must stay the same: path → digest (folders: every file below them). */
export function snapshot(paths: string[]): Map<string, string> {
  return new Map(paths.map((p) => [p, digest(p).digest("hex")]));
}

/** The paths of `before` whose contents changed (or vanished). */
export function changed(before: Map<string, string>): string[] {
  const out: string[] = [];
  for (const [p, digest] of before) {
    let now = "gone";
    try {
      now = snapshot([p]).get(p)!;
    } catch {
      /* gone */
    }
    if (now !== digest) out.push(p);
  }
  return out;
}

/** Processes whose command line holds `marker`: "pid args" lines. */
export function processesWith(marker: string): string[] {
  const ps = spawnSync("ps", ["-eo", "pid=,args="], { encoding: "utf8" });
  return ps.stdout
    .split("\n")
    .filter((l) => l.includes(marker) && !l.includes("ps -eo"))
    .map((l) => l.trim());
}

/** Kills what an attack left running (only when the sandbox failed): each process found, and its group. */
export function killLeftovers(marker: string): void {
  for (const line of processesWith(marker)) {
    const pid = Number(line.split(/\s+/)[0]);
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, "SIGKILL");
      } catch {
        /* gone */
      }
    }
  }
}

/** A PATH like `pathVar` on which `program` cannot be found (every other program still can). */
export function pathWithout(program: string, pathVar: string, scratch: string): string {
  return pathVar
    .split(":")
    .filter(Boolean)
    .map((dir, k) => {
      if (!fs.existsSync(path.join(dir, program))) return dir;
      const mirror = path.join(scratch, `path-${k}`);
      fs.mkdirSync(mirror, { recursive: true });
      for (const name of fs.readdirSync(dir)) if (name !== program) fs.symlinkSync(path.join(dir, name), path.join(mirror, name));
      return mirror;
    })
    .join(":");
}
