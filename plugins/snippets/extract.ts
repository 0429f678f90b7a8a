// Finds the snippets of a note in markdown-it's block tokens (§1) and reads the structure of
// transcripts and REPL sessions. Pure: tokens in, values out.
import { hash } from "node:crypto";
import { parseInfoString } from "./info-string.ts";
import type { Snippet, SnippetDiagnostic, SnippetKind, Token } from "./types.ts";

export interface ExtractSource {
  /** The note (as the caller names it; reports make it relative). */
  file: string;
  /** 1-based file line where the body that was parsed starts (after front matter). */
  bodyLine: number;
}

/** Languages an expected-output block may have (§1). Canonical forms (txt, plaintext → text). */
export const OUTPUT_LANGS = new Set(["", "text", "output", "log"]);
/** Languages whose blocks run, so that an output block after them is their output. */
export const PYTHON_LANGS = new Set(["python"]);
export const SHELL_LANGS = new Set(["bash", "sh", "shell", "zsh", "console"]);
export const NODE_LANGS = new Set(["javascript", "typescript"]);
/** Languages in which `$ ` at the start of a line is code, not a prompt. */
const DOLLAR_LANGS = new Set(["php", "perl", "powershell", "ps1", "makefile", "make", "tex", "latex", "r", "scss", "less"]);

export const PROMPT_RE = /^(?:\([\w.@+-]+\)\s*)?\$(?: |$)/;
/** An IPython cell: `In [1]: x = 1` (§4b). */
const IPYTHON_RE = /^In \[\d*\]:/;

export function isRunnableLang(lang: string): boolean {
  return PYTHON_LANGS.has(lang) || SHELL_LANGS.has(lang) || NODE_LANGS.has(lang);
}

/** The kind a block's content gives it, before the output-block rule (§1). */
export function classifyContent(lang: string, text: string): Exclude<SnippetKind, "output"> {
  if (OUTPUT_LANGS.has(lang) && lang !== "") return "source";
  const first = firstLine(text, (l) => l.trim() !== "");
  if (first === undefined) return "source";
  if (PROMPT_RE.test(first) && !DOLLAR_LANGS.has(lang)) return "transcript";
  // a session may start with comments (`# in the interpreter:`) before its first prompt
  const code = firstLine(text, (l) => l.trim() !== "" && !l.trim().startsWith("#"));
  const pythonish = PYTHON_LANGS.has(lang) || lang === "pycon" || lang === "ipython";
  // `>> ` is a prompt only in a block labelled python (MATLAB and irb use it too)
  if (code !== undefined && (/^>>>(?!>)/.test(code) || IPYTHON_RE.test(code)) && (pythonish || lang === "")) return "repl";
  if (code !== undefined && /^>> /.test(code) && pythonish) return "repl";
  return "source";
}

/** The first line of `text` that passes `keep`: text.split("\n").find(keep) without splitting a whole block. */
function firstLine(text: string, keep: (line: string) => boolean): string | undefined {
  for (let start = 0; start <= text.length; ) {
    const nl = text.indexOf("\n", start);
    const end = nl < 0 ? text.length : nl;
    const line = text.slice(start, end);
    if (keep(line)) return line;
    start = end + 1;
  }
  return undefined;
}

export function snippetHash(lang: string, attrs: Record<string, string>, flags: string[], text: string): string {
  const keys = Object.keys(attrs).sort();
  const material = JSON.stringify([lang, keys.map((k) => [k, attrs[k]]), [...flags].sort(), text]);
  return hash("sha256", material, "hex").slice(0, 16); // one call: a Hash object per snippet cost more than the digest
}

/** Why a file name may not be written into the sandbox, or null when it may. */
export function sandboxNameProblem(name: string): string | null {
  if (name.trim() === "") return "empty file name";
  if (name.includes("\0")) return "file name contains NUL";
  if (name.startsWith("/") || name.startsWith("~") || /^[a-zA-Z]:[\\/]/.test(name) || name.startsWith("\\")) {
    return `refused file name "${name}": it must be a relative path inside the sandbox`;
  }
  const parts = name.split(/[\\/]/);
  if (parts.some((p) => p === "..")) return `refused file name "${name}": ".." would leave the sandbox`;
  if (parts.some((p) => p === "")) return `refused file name "${name}": empty path segment`;
  return null;
}

function inlineText(tok: Token): string {
  if (!tok.children) return tok.content;
  return tok.children
    .map((c) => (c.type === "text" || c.type === "code_inline" ? c.content : c.type === "softbreak" || c.type === "hardbreak" ? " " : ""))
    .join("");
}

const STRUCTURAL = new Set([
  "bullet_list_open",
  "bullet_list_close",
  "ordered_list_open",
  "ordered_list_close",
  "list_item_open",
  "list_item_close",
  "blockquote_open",
  "blockquote_close",
]);

/** True when the tokens between two fences allow the second to be the first's output (§1). */
export function allowsOutputBetween(between: Token[]): boolean {
  const content = between.filter((t) => !STRUCTURAL.has(t.type));
  if (content.length === 0) return true;
  if (content.length !== 3) return false;
  const [o, inl, c] = content;
  if (o.type !== "paragraph_open" || inl.type !== "inline" || c.type !== "paragraph_close") return false;
  const text = inlineText(inl).trim();
  return [...text].length <= 40 && /[:：]$/.test(text);
}

/**
 * Every fenced block of a note body, in document order, with its kind (§1).
 * `tokens` are markdown-it's block tokens of the body (the page's own parse).
 */
export function extractSnippets(tokens: Token[], source: ExtractSource): Snippet[] {
  const out: Snippet[] = [];
  let prevTokIdx = -1;
  let prev: Snippet | undefined;
  for (let t = 0; t < tokens.length; t++) {
    const tok = tokens[t];
    if (tok.type !== "fence") continue;
    const info = parseInfoString(tok.info ?? "");
    const map = tok.map ?? [0, 1];
    const line = source.bodyLine + map[0];
    const text = tok.content;
    const diagnostics: SnippetDiagnostic[] = [];
    // a language word that is not one (` ```bashobsidian://open?… `: an editor's link pasted onto the fence)
    const firstWord = (tok.info ?? "").trim().split(/\s+/)[0] ?? "";
    const malformed = firstWord !== "" && !/^[\w+#.-]+$/.test(firstWord) && !/^[{[]/.test(firstWord) && !/^[\w-]+=/.test(firstWord);
    if (malformed) {
      diagnostics.push({
        severity: "warning",
        file: source.file,
        line,
        message: `malformed info string "${tok.info.trim().slice(0, 60)}": the language should be one word such as \`bash\`, followed by options (the block is only extracted)`,
      });
    }
    for (const k of info.unknownKeys.filter((k) => !malformed || k !== firstWord)) {
      diagnostics.push({ severity: "warning", file: source.file, line, message: `unknown info-string key "${k}" (ignored)` });
    }
    for (const k of ["timeout", "exit"] as const) {
      const v = info.attrs[k];
      if (v !== undefined && !/^-?\d+(\.\d+)?$/.test(v)) {
        diagnostics.push({ severity: "warning", file: source.file, line, message: `${k}="${v}" is not a number (ignored)` });
      }
    }
    let kind: SnippetKind = classifyContent(info.lang, text);
    const snippet: Snippet = {
      file: source.file,
      index: out.length + 1,
      line,
      contentLine: line + 1,
      endLine: source.bodyLine + map[1] - 1,
      info,
      lang: info.lang,
      text,
      kind,
      name: info.name,
      session: info.attrs.session ?? "",
      hash: snippetHash(info.lang, info.attrs, info.flags, text),
      markup: tok.markup,
      diagnostics,
    };
    if (
      kind === "source" &&
      OUTPUT_LANGS.has(info.lang) &&
      info.name === undefined &&
      prev &&
      prev.kind === "source" &&
      !prev.output &&
      isRunnableLang(prev.lang) &&
      allowsOutputBetween(tokens.slice(prevTokIdx + 1, t))
    ) {
      kind = "output";
      snippet.kind = kind;
      snippet.outputOf = prev.index;
      prev.output = { index: snippet.index, line, contentLine: line + 1, text, lang: info.lang };
    }
    out.push(snippet);
    prev = snippet;
    prevTokIdx = t;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Transcripts (§1, §3, §4)

export interface TranscriptCommand {
  /** The command as bash should read it (continuation lines joined with their newlines). */
  cmd: string;
  /** File line of the prompt. */
  line: number;
  /** Expected output lines (null when no non-blank line follows the command). */
  expected: string[] | null;
  /** File lines [from, to) holding the expected output (for --update). */
  from: number;
  to: number;
}

const HEREDOC_RE = /<<-?\s*(['"]?)([A-Za-z_][\w]*)\1/g;

/** Splits a transcript into commands and the output shown under each. `contentLine` is the file line of line 1. */
export function parseTranscript(text: string, contentLine: number): TranscriptCommand[] {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  if (lines.length && lines[lines.length - 1] === "") lines.pop();
  const cmds: TranscriptCommand[] = [];
  let i = 0;
  while (i < lines.length && !PROMPT_RE.test(lines[i])) i++;
  while (i < lines.length) {
    const m = PROMPT_RE.exec(lines[i])!;
    const startLine = contentLine + i;
    const parts = [lines[i].slice(m[0].length)];
    i++;
    // `\` continues a command on the next line
    while (/(^|[^\\])(\\\\)*\\$/.test(parts[parts.length - 1]) && i < lines.length) parts.push(lines[i++]);
    // here-documents: the body and the delimiter belong to the command
    const heredocs = [...parts.join("\n").matchAll(HEREDOC_RE)].map((h) => h[2]);
    for (const delim of heredocs) {
      while (i < lines.length) {
        const l = lines[i++];
        parts.push(l);
        if (l.replace(/^\t+/, "") === delim) break;
      }
    }
    const from = i;
    while (i < lines.length && !PROMPT_RE.test(lines[i])) i++;
    let to = i;
    while (to > from && lines[to - 1].trim() === "") to--;
    const exp = lines.slice(from, to);
    cmds.push({
      cmd: parts.join("\n"),
      line: startLine,
      expected: exp.length ? exp : null,
      from: contentLine + from,
      to: contentLine + to,
    });
  }
  return cmds;
}

// ---------------------------------------------------------------------------------------------
// REPL sessions (doctest's rules)

export interface ReplExample {
  source: string;
  /** File line of the `>>>` line. */
  line: number;
  /** Expected output (lines joined with \n, `<BLANKLINE>` already turned into ""). */
  want: string;
  from: number;
  to: number;
}

export function parseRepl(text: string, contentLine: number): ReplExample[] {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  if (lines.some((l) => IPYTHON_RE.test(l))) return parseIPython(lines, contentLine);
  // one prompt style per block: with `>>>` prompts, a line of output that starts with `>> ` is output
  const twoChevrons = !lines.some((l) => /^\s*>>>(?!>)/.test(l));
  const PROMPT = twoChevrons ? /^(\s*)>> / : /^(\s*)>>>(?!>) ?/;
  const NEXT = twoChevrons ? /^\s*>> / : /^\s*>>>(?!>)/;
  const ex: ReplExample[] = [];
  let i = 0;
  while (i < lines.length) {
    const l = lines[i];
    const m = PROMPT.exec(l);
    if (!m) {
      i++;
      continue;
    }
    const indent = m[1].length;
    const src: string[] = [l.slice(m[0].length)];
    const line = contentLine + i;
    i++;
    while (i < lines.length) {
      const c = lines[i].slice(indent);
      if (/^\.\.\.(?: |$)/.test(c) && lines[i].slice(0, indent).trim() === "") {
        src.push(c.slice(4));
        i++;
      } else break;
    }
    const from = i;
    while (i < lines.length && lines[i].trim() !== "" && !NEXT.test(lines[i])) i++;
    const want = lines
      .slice(from, i)
      .map((w) => w.slice(Math.min(indent, w.length - w.trimStart().length)))
      .map((w) => (w.trim() === "<BLANKLINE>" ? "" : w));
    const source = src.join("\n") + "\n";
    // doctest skips examples that are blank or only comments
    if (source.split("\n").every((s) => s.trim() === "" || s.trim().startsWith("#"))) continue;
    ex.push({ source, line, want: want.join("\n"), from: contentLine + from, to: contentLine + i });
  }
  return ex;
}

/**
 * An IPython session (§4b): `In [n]: code` and `   ...: more`, then what it printed, `Out[n]: value` as the
 * value's repr; `%magic` and `!shell` cells are skipped (they are IPython's, not Python's).
 */
function parseIPython(lines: string[], contentLine: number): ReplExample[] {
  const ex: ReplExample[] = [];
  let i = 0;
  while (i < lines.length) {
    const m = /^In \[\d*\]: ?/.exec(lines[i]);
    if (!m) {
      i++;
      continue;
    }
    const line = contentLine + i;
    const src = [lines[i].slice(m[0].length)];
    i++;
    while (i < lines.length && /^\s*\.\.\.+: ?/.test(lines[i])) src.push(lines[i].replace(/^\s*\.\.\.+: ?/, "")), i++;
    const from = i;
    while (i < lines.length && !/^In \[\d*\]:/.test(lines[i])) i++;
    let to = i;
    while (to > from && lines[to - 1].trim() === "") to--;
    const want = lines.slice(from, to).map((w) => w.replace(/^Out\[\d*\]: ?/, ""));
    const source = src.join("\n").replace(/\s+$/, "") + "\n";
    if (/^\s*[%!]/.test(source) || source.split("\n").every((s) => s.trim() === "" || s.trim().startsWith("#"))) continue;
    ex.push({ source, line, want: want.join("\n"), from: contentLine + from, to: contentLine + to });
  }
  return ex;
}
