// The precompiled header of the usual headers: built once per compiler version, flags and header text, into a
// cache folder the sandboxed sessions can read; reused afterwards.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { pchFlags, pchHeaderText } from "./compiler.ts";

/** Runs the compiler on the machine's own headers (no note text in them, so outside the sandbox): exit code and merged output. */
function run(cmd: string, args: string[], timeoutMs: number): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: timeoutMs, maxBuffer: 4 << 20, env: { PATH: process.env.PATH ?? "/usr/bin:/bin", LANG: "C" } }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as NodeJS.ErrnoException & { code?: unknown }).code === "number" ? Number((err as { code?: unknown }).code) : -1) : 0;
      resolve({ code, out: `${stdout}${stderr}` });
    });
  });
}

/**
 * Builds the precompiled header once, into `<dir>/<key>/` where key hashes the compiler's version, the flags and
 * the header; reuses it afterwards. Another process building the same one at the same time is harmless: each
 * builds in its own temporary folder, renamed into place in one step; the loser uses the winner's.
 */
export async function ensurePch(lang: "c" | "cpp", compiler: string, dir: string): Promise<{ include: string; dir: string } | null> {
  const version = await run(compiler, ["--version"], 30_000);
  if (version.code !== 0) return null;
  const header = pchHeaderText(lang);
  const flags = pchFlags(lang);
  const key = createHash("sha256").update(JSON.stringify([compiler, version.out, flags, header])).digest("hex").slice(0, 16);
  const name = `verinotes-${lang}.h`;
  const final = path.join(path.resolve(dir), `${lang}-${key}`);
  const found = () => (fs.existsSync(path.join(final, `${name}.gch`)) ? { include: path.join(final, name), dir: final } : null);
  const existing = found();
  if (existing) return existing;
  try {
    fs.mkdirSync(path.dirname(final), { recursive: true });
    const tmp = fs.mkdtempSync(`${final}.tmp-`);
    fs.chmodSync(tmp, 0o755); // read by the sandbox's unprivileged session user
    try {
      fs.writeFileSync(path.join(tmp, name), header);
      const built = await run(compiler, [...flags, path.join(tmp, name), "-o", path.join(tmp, `${name}.gch`)], 300_000);
      if (built.code !== 0 || !fs.existsSync(path.join(tmp, `${name}.gch`))) return null;
      try {
        fs.renameSync(tmp, final);
      } catch {
        /* another process renamed its own first: use that one */
      }
      return found();
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  } catch {
    return found();
  }
}
