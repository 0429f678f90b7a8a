// Runs the project's real commands in a child process, as a user would.
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export const projectRoot = path.resolve(import.meta.dirname, "../..");
export const sharedDir = path.resolve(projectRoot, "../shared");

export interface CommandResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `npm run <script> -- args`, without npm's own banner, from the project root. */
export function runScript(script: string, args: string[], env: Record<string, string> = {}): CommandResult {
  const entry = { build: "scripts/build.ts", verify: "scripts/verify.ts", check: "scripts/check.ts", new: "scripts/new.ts" }[script];
  if (!entry) throw new Error(`no script ${script}`);
  const result = spawnSync(process.execPath, ["--import", "tsx", entry, ...args], {
    cwd: projectRoot,
    encoding: "utf8",
    env: { ...process.env, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `verinotes-${prefix}-`));
}

/** Every file below `dir`, relative, with `/` separators. */
export function listFiles(dir: string, prefix = ""): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listFiles(dir, rel));
    else out.push(rel);
  }
  return out;
}

/** A digest of every file's path and bytes below `dir`: equal digests mean nothing was written there. */
export function treeDigest(dir: string): string {
  const hash = crypto.createHash("sha256");
  for (const rel of listFiles(dir).sort()) hash.update(rel).update("\0").update(fs.readFileSync(path.join(dir, rel))).update("\0");
  return hash.digest("hex");
}

export function writeTree(dir: string, files: Record<string, string | Buffer>): void {
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
}
