// File names of snippets in `<post URL>snippets/` (§8): the block's name, else `03.py`.
import { sandboxNameProblem } from "./extract.ts";
import type { Snippet } from "./types.ts";

const EXT: Record<string, string> = {
  python: "py",
  bash: "sh",
  sh: "sh",
  shell: "sh",
  zsh: "sh",
  console: "sh",
  javascript: "js",
  typescript: "ts",
  json: "json",
  yaml: "yaml",
  c: "c",
  cpp: "cpp",
  text: "txt",
  output: "txt",
  log: "log",
  "": "txt",
};

/**
 * The file name a snippet gets in `<post URL>snippets/` (§8): its name, else `03.py`. A name that would leave
 * that folder (`../../scripts/verify.ts`, `/etc/x`) is not used: the block gets a numbered name, and the plan
 * reports the name with file and line (§5: the build never writes outside its output folder).
 */
export function snippetFileName(s: Pick<Snippet, "index" | "lang" | "kind" | "name">, count = 99): string {
  if (s.name && !sandboxNameProblem(s.name)) return s.name;
  const pad = String(s.index).padStart(count > 99 ? 3 : 2, "0");
  const ext = s.kind === "transcript" ? "sh" : s.kind === "repl" ? "py" : (EXT[s.lang] ?? (/^[a-z0-9+-]{1,10}$/.test(s.lang) ? s.lang.replace(/\+/g, "p") : "txt"));
  return `${pad}.${ext}`;
}

