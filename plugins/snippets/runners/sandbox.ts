// The sandbox the python workers run in (snippets-spec.md §5): bubblewrap gives each worker its own mount,
// PID, network, IPC and UTS namespaces, with only the system and the interpreters visible (read-only) and a
// private /tmp; the worker then isolates each note session inside it (worker.py). Building the command line
// is pure; probing runs bwrap once.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** "bwrap": isolated (the default); "none": `--no-sandbox`, the user asked to run notes unisolated. */
export type SandboxMode = "bwrap" | "none";

export interface SandboxPlan {
  /** The interpreter the worker runs on, and the folders it needs (prefixes, sys.path). */
  python: string;
  pythonDirs: string[];
  /** The folder of worker.py. */
  workerDir: string;
  /** PATH inside the sandbox (folders that are not bound are simply empty there). */
  path: string;
  /** Folders that must stay invisible, with everything above them: the checkout, notes, caches, output. */
  hidden: string[];
  /** HOME: invisible too, except the interpreters' folders inside it (pyenv, ~/.local). */
  home: string;
  /** Folders of the verifier's own making the notes' checks need, shown read-only at another path (the precompiled C/C++ headers). */
  readOnly?: { host: string; inside: string }[];
  /** Size of the worker's private /tmp, where the session folders live (the disk a session may fill). */
  tmpBytes: number;
  /** The verifier runs as root: bwrap keeps the worker the capabilities it needs to drop each session to its own uid. */
  root: boolean;
  env: Record<string, string>;
}

/** Top-level system folders, bound read-only (or re-created as the links they are, as on merged-/usr systems). */
const SYSTEM = ["/usr", "/etc", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/opt"];

/** The worker's own folder in the sandbox (its links to the interpreter), outside /tmp, which sessions replace. */
export const WORKER_HOME = "/verinotes";

/** Where the sandbox shows the precompiled C/C++ headers. */
export const PCH_MOUNT = "/verinotes-pch";

/** Capabilities the worker keeps in root mode: a PID namespace per session, its uid, its folder, killing it. */
const ROOT_CAPS = ["CAP_SYS_ADMIN", "CAP_SETUID", "CAP_SETGID", "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_KILL", "CAP_SYS_PTRACE"];

const within = (dir: string, parent: string) => dir === parent || dir.startsWith(parent.endsWith("/") ? parent : parent + "/");

/**
 * The folders to bind: existing, absolute, real, none of them holding a hidden folder or lying inside one
 * (except what `inside` allows: the interpreters' folders under HOME, the worker's own folder), no duplicates.
 */
export function visibleDirs(
  candidates: { dir: string; inside?: string[] }[],
  hidden: string[],
  exists: (p: string) => string | null,
): string[] {
  const out: string[] = [];
  for (const { dir, inside = [] } of candidates) {
    if (!dir || !path.isAbsolute(dir)) continue;
    const real = exists(dir);
    if (!real || real === "/") continue;
    if (hidden.some((h) => within(h, real))) continue; // binding it would show a hidden folder
    if (hidden.some((h) => within(real, h) && !inside.some((ok) => within(real, ok)))) continue;
    if (!out.includes(real)) out.push(real);
  }
  // parents before children, so that a nested bind is not covered by its parent's
  return out.sort((a, b) => a.length - b.length);
}

function realDir(p: string): string | null {
  try {
    const real = fs.realpathSync(p);
    return fs.statSync(real).isDirectory() ? real : null;
  } catch {
    return null;
  }
}

/** The bwrap command line that starts one worker. */
export function bwrapArgs(plan: SandboxPlan, workerArgs: string[], lstat: (p: string) => fs.Stats | null = safeLstat): string[] {
  const args = ["--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try", "--die-with-parent", "--new-session"];
  if (plan.root) {
    args.push("--cap-drop", "ALL");
    for (const cap of ROOT_CAPS) args.push("--cap-add", cap);
  } else args.push("--unshare-user");
  for (const dir of SYSTEM) {
    const st = lstat(dir);
    if (!st) continue;
    if (st.isSymbolicLink()) args.push("--symlink", fs.readlinkSync(dir), dir);
    else if (st.isDirectory()) args.push("--ro-bind", dir, dir);
  }
  const home = path.resolve(plan.home);
  const hidden = [...plan.hidden.map((h) => path.resolve(h)), home];
  const interpreters = [...plan.pythonDirs, path.dirname(plan.python), path.dirname(path.dirname(process.execPath))];
  const extra = visibleDirs(
    [
      ...interpreters.map((dir) => ({ dir, inside: [home] })),
      ...plan.path.split(":").map((dir) => ({ dir })),
      { dir: plan.workerDir, inside: [plan.workerDir] },
    ],
    hidden,
    realDir,
  );
  const extraBinds = extra.filter((d) => !SYSTEM.some((s) => within(d, s)));
  args.push("--proc", "/proc", "--dev", "/dev");
  // the worker's /tmp (the sessions' pipes; each session mounts its own /tmp over it) and its own folder
  args.push("--size", String(plan.tmpBytes), "--perms", "1777", "--tmpfs", "/tmp", "--perms", "0755", "--tmpfs", WORKER_HOME);
  // a hidden folder inside a system folder bound whole (a checkout in /opt/app, HOME in /usr/src): an empty tmpfs over it
  const bound = SYSTEM.filter((d) => lstat(d)?.isDirectory());
  const covered: string[] = [];
  for (const h of [...new Set(hidden)].sort((a, b) => a.length - b.length)) {
    if (within(h, "/tmp") || covered.some((c) => within(h, c)) || !bound.some((b) => within(h, b) && h !== b) || !realDir(h)) continue;
    covered.push(h);
    args.push("--perms", "0700", "--tmpfs", h);
  }
  // the folders above the interpreters are made by bwrap, for root only unless told otherwise: the session user must pass
  // a folder needed inside a covered one (the worker's own, in a checkout under /opt) is bound again on top
  for (const d of extra) if (!extraBinds.includes(d) && covered.some((c) => within(d, c))) extraBinds.push(d);
  const above = new Set<string>();
  for (const d of extraBinds) for (let a = path.dirname(d); a !== "/"; a = path.dirname(a)) above.add(a);
  for (const a of [...above].sort((x, y) => x.length - y.length)) args.push("--perms", "0755", "--dir", a);
  for (const d of extraBinds) args.push("--ro-bind", d, d);
  // outside /tmp (which each session replaces) and away from the hidden folders they live in
  for (const { host, inside } of plan.readOnly ?? []) if (realDir(host)) args.push("--ro-bind", host, inside);
  args.push("--chdir", "/tmp");
  args.push("--clearenv");
  for (const [k, v] of Object.entries(plan.env)) args.push("--setenv", k, v);
  return [...args, "--", plan.python, ...workerArgs];
}

function safeLstat(p: string): fs.Stats | null {
  try {
    return fs.lstatSync(p);
  } catch {
    return null;
  }
}

/** Folders a note must never see: where the verifier runs, the system's temporary folder, and what the caller names (notes, caches, output). */
export function hiddenDirs(extra: (string | null | undefined)[] = []): string[] {
  return [process.cwd(), os.tmpdir(), ...extra].filter((d): d is string => !!d).map((d) => path.resolve(d));
}

/** Whether bwrap can start the worker's interpreter here; the reason when it cannot (fail closed, §5). */
export function probeSandbox(plan: SandboxPlan): Promise<{ ok: true } | { ok: false; why: string }> {
  return new Promise((resolve) => {
    const args = bwrapArgs({ ...plan }, ["-S", "-c", "print('ok')"]);
    let out = "";
    let err = "";
    const p = spawn("bwrap", args, { stdio: ["ignore", "pipe", "pipe"], env: { PATH: process.env.PATH ?? "/usr/bin:/bin" } });
    const timer = setTimeout(() => p.kill("SIGKILL"), 30_000);
    p.stdout!.setEncoding("utf8").on("data", (c: string) => (out += c));
    p.stderr!.setEncoding("utf8").on("data", (c: string) => (err += c));
    p.on("error", (e) => {
      clearTimeout(timer);
      resolve({ ok: false, why: `bwrap (bubblewrap) is not available: ${e.message}` });
    });
    p.on("close", (code) => {
      clearTimeout(timer);
      if (code === 0 && out.trim() === "ok") resolve({ ok: true });
      else resolve({ ok: false, why: `bwrap (bubblewrap) could not set up a sandbox: ${err.trim().split("\n").pop() || `exit ${code}`}` });
    });
  });
}

/** What to do about it, for the message that refuses to run. */
export const SANDBOX_HELP =
  "install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap) and allow unprivileged user namespaces " +
  "(Ubuntu 24.04: sysctl -w kernel.apparmor_restrict_unprivileged_userns=0), or pass --no-sandbox to run the notes' code without isolation";
