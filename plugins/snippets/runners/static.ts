// Static checks that need no sandbox: JSON, YAML (parsed here) and C/C++ (`-fsyntax-only`).
import { spawn, spawnSync } from "node:child_process";
import { loadAll } from "js-yaml";

export interface StaticVerdict {
  status: "checked" | "invalid" | "missing-deps" | "extracted";
  message: string;
  missing?: string[];
  ms: number;
}

function firstLine(s: string): string {
  return s.trim().split("\n")[0] ?? "";
}

/** Removes // and /* *\/ comments and trailing commas outside strings (JSONC, as in VS Code settings). */
export function stripJsonc(text: string): string {
  let out = "";
  let i = 0;
  let inStr = false;
  while (i < text.length) {
    const c = text[i];
    if (inStr) {
      out += c;
      if (c === "\\") {
        out += text[i + 1] ?? "";
        i += 2;
        continue;
      }
      if (c === '"') inStr = false;
      i++;
    } else if (c === '"') {
      inStr = true;
      out += c;
      i++;
    } else if (c === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") i++;
    } else if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? text.length : end + 2;
    } else {
      out += c;
      i++;
    }
  }
  return out.replace(/,(\s*[}\]])/g, "$1");
}

export function checkJson(text: string): StaticVerdict {
  const t0 = performance.now();
  const ms = () => Math.round(performance.now() - t0);
  if (text.trim() === "") return { status: "checked", message: "empty", ms: ms() };
  try {
    JSON.parse(text);
    return { status: "checked", message: "valid JSON", ms: ms() };
  } catch (e) {
    const err = (e as Error).message;
    for (const [label, candidate] of [
      ["JSON with comments (JSONC)", stripJsonc(text)],
      ["a JSON fragment (members of an object)", `{${stripJsonc(text).replace(/,\s*$/, "")}}`],
    ] as const) {
      try {
        JSON.parse(candidate);
        return { status: "checked", message: `valid as ${label}`, ms: ms() };
      } catch {
        /* try the next reading */
      }
    }
    return { status: "invalid", message: `invalid JSON: ${err}`, ms: ms() };
  }
}

export function checkYaml(text: string): StaticVerdict {
  const t0 = performance.now();
  try {
    loadAll(text);
    return { status: "checked", message: "valid YAML", ms: Math.round(performance.now() - t0) };
  } catch (e) {
    return { status: "invalid", message: `invalid YAML: ${firstLine((e as Error).message)}`, ms: Math.round(performance.now() - t0) };
  }
}

/** Which compilers exist (asked once per run). */
export function probeCompilers(): { c?: string; cpp?: string } {
  const has = (cmd: string) => {
    const r = spawnSync(cmd, ["--version"], { encoding: "utf8", timeout: 10_000 });
    return !r.error && r.status === 0;
  };
  return { c: has("gcc") ? "gcc" : undefined, cpp: has("g++") ? "g++" : undefined };
}

function compile(cc: string, lang: "c" | "c++", src: string, timeoutMs: number): Promise<{ ok: boolean; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(cc, ["-fsyntax-only", "-w", "-x", lang, "-"], { stdio: ["pipe", "ignore", "pipe"], env: { PATH: process.env.PATH ?? "", LANG: "C" } });
    let err = "";
    const timer = setTimeout(() => p.kill("SIGKILL"), timeoutMs);
    p.stderr!.setEncoding("utf8");
    p.stderr!.on("data", (c: string) => {
      if (err.length < 20000) err += c;
    });
    p.stdin!.on("error", () => {});
    p.stdin!.end(src);
    p.on("error", (e) => {
      clearTimeout(timer);
      resolve({ ok: false, err: e.message });
    });
    p.on("close", (code) => {
      clearTimeout(timer);
      resolve({ ok: code === 0, err });
    });
  });
}

function firstError(err: string): string {
  const m = /(?:^|\n)<stdin>:(\d+):(?:\d+:)? (?:fatal )?error: ([^\n]*)/.exec(err);
  return m ? `line ${m[1]}: ${m[2]}` : firstLine(err);
}

/**
 * C / C++ with `-fsyntax-only`. Notes often show fragments, so a block that does not compile alone is
 * tried with the usual headers, then as the body of a function; a missing header is missing-deps.
 */
export async function checkC(lang: "c" | "cpp", text: string, cc: string, timeoutMs = 30_000): Promise<StaticVerdict> {
  const t0 = performance.now();
  const ms = () => Math.round(performance.now() - t0);
  const x = lang === "c" ? "c" : "c++";
  const prelude =
    lang === "c"
      ? "#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n#include <math.h>\n#include <stdbool.h>\n"
      : "#include <bits/stdc++.h>\nusing namespace std;\n";
  const first = await compile(cc, x, text, timeoutMs);
  if (first.ok) return { status: "checked", message: `${cc} -fsyntax-only: ok`, ms: ms() };
  const missing = [...first.err.matchAll(/fatal error: ([^:\n]+): No such file or directory/g)].map((m) => m[1]);
  if (missing.length) return { status: "missing-deps", message: `needs ${missing.join(", ")}`, missing, ms: ms() };
  // a fragment? (each retry costs a compiler run: only when the first error says so)
  const undeclared = /was not declared|does not name a type|has not been declared|undeclared|implicit declaration|unknown type name|not a member of 'std'/.test(first.err);
  const statements = /expected unqualified-id|expected constructor, destructor|expected declaration|expected identifier or '\(' before|expected '[;,)]' before|return-statement|expected ';' after/.test(first.err);
  const attempts: [string, string][] = [];
  if (undeclared && !statements) attempts.push(["with the usual headers", `${prelude}#line 1\n${text}`]);
  if (statements || undeclared) attempts.push(["as a function body", `${prelude}void __verinotes_fragment__() {\n#line 1\n${text}\n}`]);
  for (const [label, src] of attempts) {
    const r = await compile(cc, x, src, timeoutMs);
    if (r.ok) return { status: "checked", message: `${cc} -fsyntax-only: ok ${label}`, ms: ms() };
  }
  return { status: "invalid", message: `${cc} -fsyntax-only: ${firstError(first.err)}`, ms: ms() };
}
