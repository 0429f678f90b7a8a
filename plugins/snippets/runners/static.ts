// Static checks that need no sandbox: JSON and YAML (parsed here), and which C/C++ compilers exist (the blocks
// themselves are compiled in the note's sandbox: cxx/).
import { spawnSync } from "node:child_process";
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
