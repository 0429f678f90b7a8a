// Which interpreter `python3` is, remembered in the cache folder between runs. Asking it costs a process start,
// 0.3 s through a pyenv shim, and a warm `npm run verify` of 4,000 notes takes little more than that otherwise.
// The answer is reused only while everything that picks the interpreter is the same (the command, PATH, the
// folder, pyenv's and virtualenv's settings) and the interpreter file is unchanged. What the interpreter can
// import and what PATH offers is looked at again every run (environmentFingerprint), so installing a module
// still re-runs the notes.
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { probePython, sandboxPath, type PythonInfo } from "./python-pool.ts";

const FILE = "python-probe.json";

interface Remembered {
  key: string;
  executable: string;
  version: string;
  sysPath: string[];
  mtimeMs: number;
}

/** A digest of the folders an interpreter imports from and PATH: their file names (an install changes them). */
export function environmentFingerprint(dirs: string[]): string {
  const h = createHash("sha256");
  for (const dir of dirs) {
    try {
      h.update(`${dir}:${fs.readdirSync(dir).sort().join(",")}\0`);
    } catch {
      // a folder that is not there offers nothing
    }
  }
  return h.digest("hex").slice(0, 16);
}

/** Everything that decides which interpreter `python` names, as a key. */
export function selectionKey(python: string, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  const versionFiles: string[] = [];
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    versionFiles.push(readOr(path.join(dir, ".python-version")));
    if (path.dirname(dir) === dir) break;
  }
  const pyenvRoot = env.PYENV_ROOT ?? path.join(os.homedir(), ".pyenv");
  return createHash("sha256")
    .update(JSON.stringify([python, sandboxPath(env.PATH), cwd, env.PYENV_VERSION, env.VIRTUAL_ENV, env.CONDA_PREFIX, versionFiles, readOr(path.join(pyenvRoot, "version"))]))
    .digest("hex");
}

/** probePython, answered from the cache folder when nothing that picks the interpreter changed. */
export async function probePythonRemembered(python: string, cacheDir: string | null): Promise<PythonInfo | { error: string }> {
  const key = selectionKey(python);
  const file = cacheDir ? path.join(cacheDir, FILE) : undefined;
  const known = file ? readRemembered(file) : undefined;
  if (known && known.key === key && mtimeOf(known.executable) === known.mtimeMs) return withFingerprint(known);
  const probed = await probePython(python);
  if ("error" in probed) return probed;
  if (file) {
    const entry: Remembered = { key, executable: probed.executable, version: probed.version, sysPath: probed.sysPath, mtimeMs: mtimeOf(probed.executable) ?? -1 };
    try {
      fs.mkdirSync(cacheDir!, { recursive: true });
      fs.writeFileSync(file, JSON.stringify(entry));
    } catch {
      // only slower next time
    }
  }
  return withFingerprint(probed);
}

function withFingerprint(info: { executable: string; version: string; sysPath: string[] }): PythonInfo {
  const dirs = [...info.sysPath, ...sandboxPath().split(path.delimiter)];
  return { executable: info.executable, version: info.version, sysPath: info.sysPath, fingerprint: environmentFingerprint(dirs) };
}

function readRemembered(file: string): Remembered | undefined {
  try {
    const r = JSON.parse(fs.readFileSync(file, "utf8")) as Remembered;
    return typeof r.key === "string" && typeof r.executable === "string" && Array.isArray(r.sysPath) ? r : undefined;
  } catch {
    return undefined;
  }
}

function mtimeOf(file: string): number | undefined {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

function readOr(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return "";
  }
}
