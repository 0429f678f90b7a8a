// C and C++ blocks of a note, checked as a reader reads them (snippets-spec.md §4b, issue 11 "Speed"):
// all C++ blocks of a note in one translation unit, fragments wrapped, the usual headers from one
// precompiled header. Pure (text and argv in, verdicts out) except ensurePch, which builds that header.
// The caller runs the compiler (inside the note's sandbox) and hands its merged output back to judgeCxx.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export interface CxxBlock {
  index: number;
  lang: "c" | "cpp";
  text: string;
}

export interface CxxUnit {
  lang: "c" | "cpp";
  /** File name the compiler is given (relative; the caller writes `text` there). */
  file: string;
  text: string;
  /** Block indexes in this unit, in document order. */
  blocks: number[];
}

export interface CxxVerdict {
  /**
   * `excerpt` (§6) when the only errors are names declared nowhere in the note (`cout << x;`, `fd`): part of a
   * larger program, as a reader takes it.
   */
  status: "checked" | "invalid" | "missing-deps" | "excerpt";
  message: string;
  /** Headers (as written, or a library's umbrella header) that are not installed here. */
  missing?: string[];
  /** Names used but declared nowhere in the note (excerpt). */
  undeclared?: string[];
  /** The compiler failed without saying anything about this block (killed, crashed): not the note's fault. */
  compilerFailure?: true;
}

// ---------------------------------------------------------------------------------------------
// The usual headers

/** Defined by the precompiled header, so that a unit includes the usual headers itself only without it. */
const PRELUDE_MACRO = "VERINOTES_PRELUDE";

/**
 * What a reader of a C++ note assumes: the whole standard library (`<bits/stdc++.h>`, as competitive-programming
 * notes write) and the common POSIX headers (socket and file-descriptor excerpts).
 */
const USUAL_HEADERS: Record<"c" | "cpp", string[]> = {
  cpp: ["bits/stdc++.h", "unistd.h", "fcntl.h", "sys/types.h", "sys/stat.h", "sys/socket.h", "sys/wait.h", "netinet/in.h", "arpa/inet.h", "pthread.h"],
  c: [
    "stdio.h", "stdlib.h", "string.h", "math.h", "stdbool.h", "stdint.h", "stddef.h", "ctype.h", "limits.h", "float.h",
    "time.h", "assert.h", "errno.h", "stdarg.h", "signal.h", "unistd.h", "fcntl.h", "sys/types.h", "sys/stat.h",
    "sys/socket.h", "sys/wait.h", "netinet/in.h", "arpa/inet.h", "pthread.h",
  ],
};

/** gnu++17 / gnu11: the compilers' own defaults, what the authors compiled with (VLAs, POSIX names visible). */
const STD: Record<"c" | "cpp", string> = { cpp: "-std=gnu++17", c: "-std=gnu11" };

/** Where Debian puts the headers of libraries whose namespaces notes use (harmless when absent). */
const EXTRA_INCLUDE_DIRS = ["/usr/include/opencv4", "/usr/include/eigen3"];

function preludeIncludes(lang: "c" | "cpp"): string {
  return USUAL_HEADERS[lang].map((h) => `#include <${h}>\n`).join("");
}

/** The text of the precompiled header (also what a unit includes when no precompiled header is given). */
export function pchHeaderText(lang: "c" | "cpp"): string {
  return `// Verinotes: the usual headers of a ${lang === "c" ? "C" : "C++"} note, precompiled once.\n#define ${PRELUDE_MACRO} 1\n${preludeIncludes(lang)}`;
}

/**
 * Library namespaces notes use in excerpts without their #include: the umbrella header a reader would add.
 * When it is not installed the block is missing-deps; when it is, the block is checked with it.
 */
const LIBRARY_NAMESPACES: Record<string, { header: string; prefix: string }> = {
  cv: { header: "opencv2/opencv.hpp", prefix: "opencv2/" },
  Eigen: { header: "Eigen/Dense", prefix: "Eigen/" },
  torch: { header: "torch/torch.h", prefix: "torch/" },
  at: { header: "ATen/ATen.h", prefix: "ATen/" },
  c10: { header: "c10/core/Device.h", prefix: "c10/" },
  boost: { header: "boost/version.hpp", prefix: "boost/" },
  Ort: { header: "onnxruntime_cxx_api.h", prefix: "onnxruntime" },
  nlohmann: { header: "nlohmann/json.hpp", prefix: "nlohmann/" },
  fmt: { header: "fmt/format.h", prefix: "fmt/" },
  spdlog: { header: "spdlog/spdlog.h", prefix: "spdlog/" },
  absl: { header: "absl/base/config.h", prefix: "absl/" },
  pybind11: { header: "pybind11/pybind11.h", prefix: "pybind11/" },
  py: { header: "pybind11/pybind11.h", prefix: "pybind11/" },
  google: { header: "glog/logging.h", prefix: "glog/" },
  testing: { header: "gtest/gtest.h", prefix: "gtest/" },
  Json: { header: "json/json.h", prefix: "json/" },
  tensorflow: { header: "tensorflow/core/public/session.h", prefix: "tensorflow/" },
};

// ---------------------------------------------------------------------------------------------
// A small lexer: enough to find a block's top-level statements, includes, macros and unbalanced brackets
// (which would otherwise swallow the blocks after it in the shared unit).

interface Tok {
  v: string;
  k: "id" | "num" | "str" | "p" | "pp";
  line: number;
  start: number;
  end: number;
}

interface Problem {
  line: number;
  message: string;
}

const PUNCT3 = ["<<=", ">>=", "...", "->*"];
const PUNCT2 = ["::", "->", "<<", ">>", "++", "--", "==", "!=", "<=", ">=", "&&", "||", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", ".*"];

function lex(text: string): { toks: Tok[]; problem?: Problem } {
  const toks: Tok[] = [];
  let i = 0;
  let line = 1;
  let lineStart = true;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === "\n") {
      line++;
      lineStart = true;
      i++;
      continue;
    }
    if (c === " " || c === "\t" || c === "\r" || c === "\f" || c === "\v") {
      i++;
      continue;
    }
    if (c === "\\" && (text[i + 1] === "\n" || (text[i + 1] === "\r" && text[i + 2] === "\n"))) {
      i += text[i + 1] === "\n" ? 2 : 3;
      line++;
      continue;
    }
    if (c === "/" && text[i + 1] === "/") {
      while (i < n && text[i] !== "\n") i++;
      continue;
    }
    if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      if (end < 0) return { toks, problem: { line, message: "the comment '/*' is never closed" } };
      for (let j = i; j < end; j++) if (text[j] === "\n") line++;
      i = end + 2;
      continue;
    }
    const start = i;
    const startLine = line;
    if (c === "#" && lineStart) {
      // a directive runs to the end of the line, continuation lines included
      while (i < n && text[i] !== "\n") {
        if (text[i] === "\\" && text[i + 1] === "\n") {
          line++;
          i += 2;
          continue;
        }
        if (text[i] === "/" && text[i + 1] === "*") {
          const end = text.indexOf("*/", i + 2);
          if (end < 0) return { toks, problem: { line, message: "the comment '/*' is never closed" } };
          for (let j = i; j < end; j++) if (text[j] === "\n") line++;
          i = end + 2;
          continue;
        }
        i++;
      }
      toks.push({ v: text.slice(start, i), k: "pp", line: startLine, start, end: i });
      continue;
    }
    lineStart = false;
    const raw = /^(?:u8|u|U|L)?R"([^()\\\s]{0,16})\(/.exec(text.slice(i, i + 24));
    if (raw) {
      const close = `)${raw[1]}"`;
      const end = text.indexOf(close, i + raw[0].length);
      if (end < 0) return { toks, problem: { line, message: "the raw string R\"( is never closed" } };
      for (let j = i; j < end; j++) if (text[j] === "\n") line++;
      i = end + close.length;
      toks.push({ v: "\"\"", k: "str", line: startLine, start, end: i });
      continue;
    }
    if (c === '"' || c === "'") {
      i++;
      while (i < n && text[i] !== c && text[i] !== "\n") i += text[i] === "\\" ? 2 : 1;
      if (text[i] === c) i++;
      toks.push({ v: text.slice(start, i), k: "str", line: startLine, start, end: i });
      continue;
    }
    if (/[A-Za-z_$]/.test(c)) {
      while (i < n && /[\w$]/.test(text[i])) i++;
      // string prefixes (u8"…", L'x')
      if ((text[i] === '"' || text[i] === "'") && /^(?:u8|u|U|L)$/.test(text.slice(start, i))) continue;
      toks.push({ v: text.slice(start, i), k: "id", line: startLine, start, end: i });
      continue;
    }
    if (/\d/.test(c) || (c === "." && /\d/.test(text[i + 1] ?? ""))) {
      i++;
      while (i < n) {
        if (/[eEpP]/.test(text[i]) && /[+-]/.test(text[i + 1] ?? "")) i += 2;
        else if (/[\w.]/.test(text[i]) || (text[i] === "'" && /\w/.test(text[i + 1] ?? ""))) i++;
        else break;
      }
      toks.push({ v: text.slice(start, i), k: "num", line: startLine, start, end: i });
      continue;
    }
    const three = text.slice(i, i + 3);
    const two = text.slice(i, i + 2);
    const v = PUNCT3.includes(three) ? three : PUNCT2.includes(two) ? two : c;
    i += v.length;
    toks.push({ v, k: "p", line: startLine, start, end: i });
  }
  return { toks };
}

const OPENERS: Record<string, string> = { "(": ")", "[": "]", "{": "}" };
const CLOSERS = new Set([")", "]", "}"]);

/** Brackets and #if/#endif must balance inside a block, or the block would take the blocks after it with it. */
function balanceProblem(toks: Tok[]): Problem | undefined {
  const stack: Tok[] = [];
  const conds: Tok[] = [];
  for (const t of toks) {
    if (t.k === "pp") {
      const d = /^#\s*(\w+)/.exec(t.v)?.[1];
      if (d === "if" || d === "ifdef" || d === "ifndef") conds.push(t);
      else if (d === "endif" && !conds.pop()) return { line: t.line, message: "#endif without #if" };
      continue;
    }
    if (t.k !== "p") continue;
    if (OPENERS[t.v]) stack.push(t);
    else if (CLOSERS.has(t.v)) {
      const open = stack.pop();
      if (!open) return { line: t.line, message: `'${t.v}' closes nothing (unbalanced brackets)` };
      if (OPENERS[open.v] !== t.v) return { line: t.line, message: `'${t.v}' does not close the '${open.v}' opened on line ${open.line}` };
    }
  }
  const open = stack[0];
  if (open) return { line: open.line, message: `'${open.v}' opened on line ${open.line} is never closed (expected '${OPENERS[open.v]}' at the end of the block)` };
  const cond = conds[0];
  if (cond) return { line: cond.line, message: `#if on line ${cond.line} without #endif` };
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Reading a block: top-level chunks (declarations, definitions, statements)

const STATEMENT_WORDS = new Set([
  "if", "for", "while", "do", "switch", "return", "break", "continue", "goto", "try", "throw", "case", "default", "else",
  "delete", "co_return", "co_await", "co_yield", "this", "new", "sizeof",
]);
const DEFINITION_WORDS = new Set(["struct", "class", "union", "enum", "namespace", "typedef", "using", "template", "concept"]);
const TYPE_WORDS = new Set([
  "int", "char", "short", "long", "unsigned", "signed", "float", "double", "bool", "void", "auto", "const", "static",
  "volatile", "register", "constexpr", "consteval", "constinit", "inline", "extern", "mutable", "thread_local", "wchar_t",
  "char8_t", "char16_t", "char32_t", "virtual", "explicit", "friend", "typename", "decltype", "_Bool", "__int128",
  "static_assert", "alignas", "_Static_assert", "_Alignas", "_Noreturn", "restrict", "__restrict",
]);
/** Tokens after which a name is being used, not declared. */
const EXPRESSION_AFTER_NAME = new Set([
  "<<", ">>", "=", ".", "->", "[", "++", "--", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<=", ">>=", "(", ";",
  "?", "==", "!=", "+", "-", "/", "%", "|", "^", "||", "&&", "<=", ">=", ",", ")", ".*", "->*", ":",
]);

interface Chunk {
  toks: Tok[];
  kind: "definition" | "declaration" | "statement";
}

/** Skips `template <…>` and `[[…]]`; returns the index of the first token that says what the chunk is. */
function headIndex(toks: Tok[]): number {
  let i = 0;
  for (;;) {
    if (toks[i]?.v === "template" && toks[i + 1]?.v === "<") {
      let depth = 0;
      let j = i + 1;
      for (; j < toks.length; j++) {
        if (toks[j].v === "<") depth++;
        else if (toks[j].v === ">") depth--;
        else if (toks[j].v === ">>") depth -= 2;
        if (depth <= 0) break;
      }
      i = j + 1;
    } else if (toks[i]?.v === "[" && toks[i + 1]?.v === "[") {
      let j = i + 2;
      while (j < toks.length && !(toks[j].v === "]" && toks[j + 1]?.v === "]")) j++;
      i = j + 2;
    } else return i;
  }
}

/** Length of `<…>` at toks[i] when it reads as template arguments (`vector<int>`), else 0. */
function templateArgsLength(toks: Tok[], i: number): number {
  if (toks[i]?.v !== "<") return 0;
  let depth = 0;
  for (let j = i; j < toks.length && j < i + 64; j++) {
    const v = toks[j].v;
    if (v === "<") depth++;
    else if (v === ">") depth--;
    else if (v === ">>") depth -= 2;
    else if (!(toks[j].k === "id" || toks[j].k === "num" || ["::", ",", "*", "&", "(", ")", "[", "]", "&&"].includes(v))) return 0;
    if (depth <= 0) return depth === 0 ? j - i + 1 : 0;
  }
  return 0;
}

/** Does a chunk that reached a closing brace at depth 0 end there (a function, a control statement), or at `;`? */
function endsAtBrace(toks: Tok[]): boolean {
  const h = headIndex(toks);
  const first = toks[h]?.v;
  if (first === "namespace" || first === "extern" || first === "{" || first === "try" || first === "else") return true;
  if (first === "do" || (first !== undefined && DEFINITION_WORDS.has(first))) return false;
  let depth = 0;
  let parens = false;
  for (const t of toks) {
    if (OPENERS[t.v]) {
      if (depth === 0 && t.v === "(") parens = true;
      if (depth === 0 && t.v === "{") break;
      depth++;
    } else if (CLOSERS.has(t.v)) depth--;
    else if (depth === 0 && t.v === "=") return false;
  }
  return parens;
}

function classify(toks: Tok[], endedAtBrace: boolean): Chunk["kind"] {
  const h = headIndex(toks);
  const t0 = toks[h];
  if (!t0) return "declaration";
  if (h > 0) return "definition"; // template <…> or an attribute
  if (t0.k === "id" && STATEMENT_WORDS.has(t0.v)) return "statement";
  if (t0.k === "id" && DEFINITION_WORDS.has(t0.v)) return "definition";
  if (t0.v === "{") return "statement";
  if (t0.v === "extern" && toks[1]?.k === "str") return "definition";
  if (endedAtBrace) return "definition"; // `int main() {…}`, `Foo::Foo(int x) : a(x) {…}`, `TEST(a, b) {…}`
  if (t0.k === "num" || t0.k === "str") return "statement";
  if (t0.k === "p" && t0.v !== "::") return "statement"; // `*p = 1;`, `++i;`, `(void)x;`
  if (t0.k === "id" && TYPE_WORDS.has(t0.v)) return "declaration";
  // a (qualified, templated) name: what follows it says whether it is a type or a value
  let i = t0.v === "::" ? h + 1 : h;
  for (;;) {
    if (toks[i]?.k !== "id") return "statement";
    i++;
    i += templateArgsLength(toks, i);
    if (toks[i]?.v === "::") i++;
    else break;
  }
  const next = toks[i];
  if (!next) return "statement";
  if (next.k === "id") return "declaration"; // `Solution s;`, `vector<int> v{1,2};`
  if ((next.v === "*" || next.v === "&" || next.v === "&&") && toks[i + 1]?.k === "id") {
    const after = toks[i + 2]?.v;
    return after === undefined || [";", "=", ",", "[", "(", "{", ")"].includes(after) ? "declaration" : "statement";
  }
  if (EXPRESSION_AFTER_NAME.has(next.v)) return "statement";
  return "declaration";
}

/** Splits a block's non-directive tokens into top-level chunks. */
function chunksOf(toks: Tok[]): Chunk[] {
  const out: Chunk[] = [];
  let cur: Tok[] = [];
  let depth = 0;
  const code = toks.filter((t) => t.k !== "pp");
  const push = (endedAtBrace: boolean) => {
    if (cur.length === 1 && cur[0].v === ";" && out.length) out[out.length - 1].toks.push(cur[0]);
    else out.push({ toks: cur, kind: classify(cur, endedAtBrace) });
    cur = [];
  };
  for (let k = 0; k < code.length; k++) {
    const t = code[k];
    cur.push(t);
    if (OPENERS[t.v]) depth++;
    else if (CLOSERS.has(t.v)) depth--;
    if (depth !== 0) continue;
    if (t.v === ";") push(false);
    else if (t.v === "}" && endsAtBrace(cur)) {
      const next = code[k + 1]?.v;
      if (next === "else" || next === "catch") continue;
      push(true);
    }
  }
  if (cur.length) push(false);
  return out;
}

interface Include {
  tok: Tok;
  header: string;
  /** `<…>` or `"…"` as written. */
  spelled: string;
}

interface ReadBlock {
  block: CxxBlock;
  problem?: Problem;
  toks: Tok[];
  /** Unconditional #include lines: hoisted to the top of the unit, each guarded by __has_include. */
  includes: Include[];
  /** Umbrella headers of library namespaces the block uses without including them. */
  supplied: string[];
  /** Macros the block defines: undefined after it, so that they do not change later blocks. */
  macros: string[];
  /** Top-level chunks, and whether the block has statements outside any function (then it is wrapped). */
  chunks: Chunk[];
  fragment: boolean;
  /**
   * The last chunk has no `;` (nor `}`): the unit gets one there, or the compiler would skip the next blocks
   * while recovering. A signature (`int f(int x)`, `void cv::Canny(…)`) is read as a declaration; anything else
   * (`Hello World`, `cout << x`) is an error.
   */
  unterminated?: { offset: number; line: number; signature: boolean };
}

function readBlock(block: CxxBlock): ReadBlock {
  const { toks, problem: lexProblem } = lex(block.text);
  const problem = lexProblem ?? balanceProblem(toks);
  const includes: Include[] = [];
  const macros: string[] = [];
  let condDepth = 0;
  let conditional = false;
  for (const t of toks) {
    if (t.k !== "pp") continue;
    const d = /^#\s*(\w+)/.exec(t.v)?.[1];
    if (d === "if" || d === "ifdef" || d === "ifndef") {
      condDepth++;
      conditional = true;
    } else if (d === "endif") condDepth--;
    else if (d === "define") {
      const name = /^#\s*define\s+(\w+)/.exec(t.v)?.[1];
      if (name && !macros.includes(name)) macros.push(name);
    } else if (d === "include" && condDepth === 0) {
      const m = /^#\s*include\s*(<([^>]+)>|"([^"]+)")/.exec(t.v);
      // `opencv2\core.hpp` (written on Windows) is the same header as `opencv2/core.hpp`
      if (m) includes.push({ tok: t, header: (m[2] ?? m[3]).trim().replace(/\\/g, "/"), spelled: m[1].replace(/\\/g, "/") });
    }
  }
  const supplied: string[] = [];
  for (let k = 0; k < toks.length; k++) {
    const t = toks[k];
    if (t.k !== "id" || !Object.hasOwn(LIBRARY_NAMESPACES, t.v)) continue;
    const used = toks[k + 1]?.v === "::" && toks[k - 1]?.v !== "::" && toks[k - 1]?.v !== "." && toks[k - 1]?.v !== "->";
    const usingNs = toks[k - 1]?.v === "namespace" && toks[k - 2]?.v === "using";
    if (!used && !usingNs) continue;
    const lib = LIBRARY_NAMESPACES[t.v];
    if (includes.some((inc) => inc.header.startsWith(lib.prefix)) || supplied.includes(lib.header)) continue;
    supplied.push(lib.header);
  }
  const chunks = problem ? [] : chunksOf(toks);
  // statements outside a function: wrap them (not when #if spans the block: reordering would break it)
  const fragment = !conditional && chunks.some((c) => c.kind === "statement");
  const last = chunks[chunks.length - 1]?.toks;
  const lastTok = last?.[last.length - 1];
  let unterminated: ReadBlock["unterminated"];
  if (last && lastTok && lastTok.v !== ";" && lastTok.v !== "}") {
    const signature = classify(last, false) !== "statement" && (lastTok.v === ")" || ["const", "noexcept", "override", "final", "volatile"].includes(lastTok.v));
    unterminated = { offset: lastTok.end, line: lastTok.line, signature };
  }
  return { block, problem, toks, includes, supplied, macros, chunks, fragment, unterminated };
}

// ---------------------------------------------------------------------------------------------
// Writing units

/** Name of the function that holds a block's statements (judgeCxx reads it back to know the block was wrapped). */
function fragmentFunction(index: number): string {
  return `__verinotes_fragment_${index}`;
}

function blockFile(index: number, lang: "c" | "cpp"): string {
  return `block-${index}.${lang === "c" ? "c" : "cpp"}`;
}

/** Marks where a block's part of the unit starts (judgeCxx maps the unit's own lines back to blocks with it). */
const REGION = "// verinotes: block ";

/** Builds unit text line by line, so that `#line` back to the unit names the right physical line. */
class UnitWriter {
  private lines: string[] = [];
  constructor(private readonly file: string) {}
  add(text: string): void {
    this.lines.push(...text.replace(/\n$/, "").split("\n"));
  }
  /** `#line` that makes the next line the unit's own physical line again. */
  backToUnit(): void {
    this.lines.push(`#line ${this.lines.length + 2} "${this.file}"`);
  }
  text(): string {
    return this.lines.join("\n") + "\n";
  }
}

/** Replaces a token's text by spaces (newlines kept), so that lines and columns stay where the author put them. */
function blankOut(text: string, toks: Tok[]): string {
  let out = "";
  let at = 0;
  for (const t of [...toks].sort((a, b) => a.start - b.start)) {
    out += text.slice(at, t.start) + text.slice(t.start, t.end).replace(/[^\n]/g, " ");
    at = t.end;
  }
  return out + text.slice(at);
}

function guardedInclude(w: UnitWriter, spelled: string, header: string, file: string, line: number): void {
  const quoted = header.replace(/\\/g, "\\\\").replace(/"/g, '\\"');
  w.add(`#if __has_include(${spelled})\n#include ${spelled}\n#else\n#line ${line} "${file}"\n#pragma message "verinotes-missing ${quoted}"\n#endif`);
  w.backToUnit();
}

/** The part of the unit that holds one block (inside its namespace for C++). */
function writeBlock(w: UnitWriter, rb: ReadBlock, lang: "c" | "cpp"): void {
  const file = blockFile(rb.block.index, lang);
  const text = rb.block.text;
  if (rb.problem) {
    // its text is left out: an unclosed '{' or comment would swallow every block after it
    w.add(`#line ${rb.problem.line} "${file}"\n#error verinotes: ${rb.problem.message}`);
    w.backToUnit();
    return;
  }
  const hoisted = rb.includes.map((inc) => inc.tok);
  const end = rb.unterminated?.offset ?? -1;
  if (!rb.fragment) {
    const blanked = blankOut(text, hoisted);
    w.add(`#line 1 "${file}"\n${end < 0 ? blanked : `${blanked.slice(0, end)};${blanked.slice(end)}`}`);
    w.backToUnit();
  } else {
    // definitions (and directives between chunks) stay outside; statements and the declarations among them
    // go, in order, into a function whose return type follows their `return`
    const inChunk = (t: Tok) => rb.chunks.some((c) => c.toks[0].start <= t.start && t.end <= c.toks[c.toks.length - 1].end);
    const directives = rb.toks.filter((t) => t.k === "pp" && !hoisted.includes(t) && !inChunk(t));
    const slice = (c: Chunk) => text.slice(c.toks[0].start, c.toks[c.toks.length - 1].end) + (c.toks[c.toks.length - 1].end === end ? ";" : "");
    const outside = [...directives.map((t) => ({ line: t.line, start: t.start, text: t.v })), ...rb.chunks.filter((c) => c.kind === "definition").map((c) => ({ line: c.toks[0].line, start: c.toks[0].start, text: slice(c) }))];
    outside.sort((a, b) => a.start - b.start);
    for (const o of outside) w.add(`#line ${o.line} "${file}"\n${o.text}`);
    w.add(lang === "cpp" ? `auto ${fragmentFunction(rb.block.index)}() {` : `int ${fragmentFunction(rb.block.index)}(void) {`);
    for (const c of rb.chunks) if (c.kind !== "definition") w.add(`#line ${c.toks[0].line} "${file}"\n${slice(c)}`);
    w.backToUnit();
    w.add("}");
  }
  if (rb.unterminated && !rb.unterminated.signature) {
    w.add(`#line ${rb.unterminated.line} "${file}"\n#error verinotes: expected ';' at the end of the block`);
    w.backToUnit();
  }
  for (const m of rb.macros) w.add(`#undef ${m}`);
}

function writeHead(w: UnitWriter, lang: "c" | "cpp", read: ReadBlock[]): void {
  w.add(`// Verinotes: ${lang === "c" ? "a C block" : "the C++ blocks of a note"}, checked with -fsyntax-only.`);
  w.add(`#ifndef ${PRELUDE_MACRO}\n${preludeIncludes(lang)}#endif`);
  for (const rb of read) {
    if (rb.problem) continue;
    const file = blockFile(rb.block.index, lang);
    for (const inc of rb.includes) guardedInclude(w, inc.spelled, inc.header, file, inc.tok.line);
    for (const h of rb.supplied) guardedInclude(w, `<${h}>`, h, file, 1);
  }
  if (lang === "cpp") w.add("using namespace std;");
}

/**
 * As few translation units per note as possible. C++: one unit for all blocks of the note, each block in its own
 * namespace nested in the previous block's, so that a block sees what earlier blocks declared (a `Solution` used
 * by the next block's `main`) while its own definitions (a second `main`, another `Solution`) shadow, never clash.
 * C has no namespaces: one unit per block.
 */
export function cxxUnits(blocks: CxxBlock[]): CxxUnit[] {
  const units: CxxUnit[] = [];
  const cpp = blocks.filter((b) => b.lang === "cpp").map(readBlock);
  if (cpp.length) {
    const file = "unit-cpp.cpp";
    const w = new UnitWriter(file);
    writeHead(w, "cpp", cpp);
    for (const rb of cpp) {
      w.add(`${REGION}${rb.block.index}\nnamespace __verinotes_block_${rb.block.index} {`);
      writeBlock(w, rb, "cpp");
    }
    w.add(`${REGION}end\n${"}".repeat(cpp.length)}`);
    units.push({ lang: "cpp", file, text: w.text(), blocks: cpp.map((rb) => rb.block.index) });
  }
  for (const b of blocks) {
    if (b.lang !== "c") continue;
    const rb = readBlock(b);
    const file = `unit-c-${b.index}.c`;
    const w = new UnitWriter(file);
    writeHead(w, "c", [rb]);
    w.add(`${REGION}${b.index}`);
    writeBlock(w, rb, "c");
    w.add(`${REGION}end`);
    units.push({ lang: "c", file, text: w.text(), blocks: [b.index] });
  }
  return units;
}

/** The compiler's command line (argv[0] is the compiler) for a unit written to `unit.file` in the working folder. */
export function compilerArgs(unit: CxxUnit, compiler: string, pch?: { include: string }): string[] {
  const clang = /clang/.test(path.basename(compiler));
  return [
    compiler,
    "-fsyntax-only",
    "-x",
    unit.lang === "c" ? "c" : "c++",
    STD[unit.lang],
    "-w",
    ...(clang ? ["-fno-color-diagnostics", "-fno-caret-diagnostics"] : ["-fdiagnostics-plain-output", "-fno-diagnostics-color"]),
    ...EXTRA_INCLUDE_DIRS.flatMap((d) => ["-isystem", d]),
    ...(pch ? ["-include", pch.include] : []),
    unit.file,
  ];
}

// ---------------------------------------------------------------------------------------------
// Judging

interface Diagnostic {
  file: string;
  line: number;
  severity: string;
  message: string;
}

const DIAGNOSTIC_RE = /^(.+?):(\d+):(?:\d+:)? (fatal error|error|warning|note): (.*)$/;
const Q = "['‘’`\"]";
/** A name the note never declares (its first capture). GCC (C++, C) and clang wordings. */
const UNDECLARED_RES = [
  new RegExp(`^${Q}([\\w:~]+)${Q} was not declared in this scope`),
  new RegExp(`^${Q}([\\w:~]+)${Q} does not name a type`),
  new RegExp(`^${Q}([\\w:~]+)${Q} has not been declared`),
  new RegExp(`^${Q}([\\w:~]+)${Q} undeclared`),
  new RegExp(`^unknown type name ${Q}([\\w:~]+)${Q}`),
  new RegExp(`^use of undeclared identifier ${Q}([\\w:~]+)${Q}`),
  new RegExp(`^expected type-specifier before ${Q}([\\w:~]+)${Q}`),
  new RegExp(`^there are no arguments to ${Q}([\\w:~]+)${Q} that depend on a template parameter`),
  new RegExp(`^${Q}([\\w:~]+)${Q} is not a member of ${Q}(?!std${Q})`),
  new RegExp(`^${Q}([\\w:~]+)${Q} is not a namespace-name`),
];
/** Errors that follow from another error on the same line (an unknown type makes its declaration fail). */
const CONSEQUENCE_RES = [/^template argument \d+ is invalid/, /^expected .* before /, /^invalid type in declaration/, /^expected primary-expression/];
/** Errors that come from the wrapping of a fragment, not from the note: a `return`, `break` of the code around it. */
const WRAPPING_RES = [
  /return-statement with (?:a|no) value/,
  /inconsistent deduction for auto return type/,
  /break statement not within loop or switch/,
  /continue statement not within a? ?loop/,
  /'return' with (?:a|no) value/,
  /case label .* not within a switch statement/,
  /'default' label not within a switch statement/,
  /function '__verinotes_fragment_\d+'/,
  /__verinotes_fragment_\d+/,
];

function parseDiagnostics(output: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const raw of output.split("\n")) {
    const m = DIAGNOSTIC_RE.exec(raw.replace(/\r$/, ""));
    if (m) out.push({ file: m[1], line: Number(m[2]), severity: m[3], message: m[4] });
  }
  return out;
}

/** The block whose region of the unit holds a unit line (for errors in the wrapping itself). */
function regionOf(unit: CxxUnit, line: number): number | undefined {
  const lines = unit.text.split("\n");
  let block: number | undefined;
  for (let i = 0; i < Math.min(line, lines.length); i++) {
    if (lines[i].startsWith(REGION)) {
      const n = lines[i].slice(REGION.length);
      block = n === "end" ? block : Number(n);
    }
  }
  return block;
}

/**
 * Per block of the unit, from the compiler's merged output and exit status. A missing header (the unit's
 * `#pragma message` for a failed __has_include) makes the block missing-deps, whatever errors follow from it;
 * errors of the block make it invalid (first error, with its line inside the block), except names declared
 * nowhere in the note (excerpt) and what only follows from wrapping a fragment in a function.
 */
export function judgeCxx(unit: CxxUnit, output: string, exit: number): Map<number, CxxVerdict> {
  const byBlock = new Map<number, Diagnostic[]>(unit.blocks.map((b) => [b, []]));
  const fileRe = /(?:^|\/)block-(\d+)\.(?:c|cpp)$/;
  for (const d of parseDiagnostics(output)) {
    const m = fileRe.exec(d.file);
    let block = m ? Number(m[1]) : undefined;
    if (block === undefined && path.basename(d.file) === unit.file) block = regionOf(unit, d.line);
    if (block !== undefined && byBlock.has(block)) byBlock.get(block)!.push(d);
  }
  const verdicts = new Map<number, CxxVerdict>();
  // GCC exits 1 for errors in the code; other statuses (an internal error, a signal, a timeout) are its own trouble,
  // and blocks it had not reached by then are not known to be fine
  const crashed = exit < 0 || exit > 1 || /internal compiler error|Killed signal|virtual memory exhausted|out of memory/.test(output);
  const attributed = !crashed && [...byBlock.values()].some((ds) => ds.some((d) => d.severity !== "warning"));
  const compiler = unit.lang === "c" ? "gcc" : "g++";
  for (const [index, diags] of byBlock) {
    const missing = [
      ...new Set(diags.map((d) => /#pragma message: verinotes-missing (\S+?)['’]?$/.exec(d.message)?.[1]).filter((h): h is string => !!h)),
    ];
    if (missing.length) {
      verdicts.set(index, { status: "missing-deps", message: `needs ${missing.join(", ")} (not installed here)`, missing });
      continue;
    }
    const wrapped = unit.text.includes(`${fragmentFunction(index)}(`);
    const errors = diags.filter((d) => d.severity === "error" || d.severity === "fatal error");
    const undeclared: string[] = [];
    const undeclaredLines = new Set<number>();
    const real: Diagnostic[] = [];
    for (const e of errors) {
      const name = UNDECLARED_RES.map((re) => re.exec(e.message)?.[1]).find((n) => n !== undefined);
      if (name !== undefined && !name.startsWith("__verinotes")) {
        if (!undeclared.includes(name)) undeclared.push(name);
        undeclaredLines.add(e.line);
      } else if (wrapped && WRAPPING_RES.some((re) => re.test(e.message))) {
        /* the code around a fragment is the reader's to imagine */
      } else real.push(e);
    }
    const own = real.filter((e) => !(undeclaredLines.has(e.line) && CONSEQUENCE_RES.some((re) => re.test(e.message))));
    const fromUnit = own.filter((e) => !fileRe.test(e.file));
    // the block's first error by line (its own #error lines are printed before the compiler's)
    const first = own.filter((e) => fileRe.test(e.file)).sort((a, b) => a.line - b.line)[0] ?? own[0];
    if (first) {
      const where = fromUnit.includes(first) ? "at the end of the block" : `line ${first.line}`;
      const said = first.message.replace(/^#error verinotes: /, "").replace(/__verinotes_block_\d+::/g, "");
      verdicts.set(index, { status: "invalid", message: `${compiler} -fsyntax-only: ${where}: ${said}` });
    } else if (undeclared.length) {
      verdicts.set(index, { status: "excerpt", message: `uses names declared nowhere in the note: ${undeclared.join(", ")}`, undeclared });
    } else if (exit !== 0 && !attributed) {
      const said = output.trim().split("\n")[0] ?? "";
      verdicts.set(index, { status: "invalid", message: `the compiler failed (exit ${exit})${said ? `: ${said}` : ""}`, compilerFailure: true });
    } else {
      verdicts.set(index, { status: "checked", message: `${compiler} -fsyntax-only: ok${wrapped ? " (statements read as a function body)" : ""}` });
    }
  }
  return verdicts;
}

// ---------------------------------------------------------------------------------------------
// The precompiled header

function run(cmd: string, args: string[], timeoutMs: number): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: timeoutMs, maxBuffer: 4 << 20, env: { PATH: process.env.PATH ?? "/usr/bin:/bin", LANG: "C" } }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as NodeJS.ErrnoException & { code?: unknown }).code === "number" ? Number((err as { code?: unknown }).code) : -1) : 0;
      resolve({ code, out: `${stdout}${stderr}` });
    });
  });
}

/** Flags the precompiled header is built with; a unit must use the same ones (compilerArgs) for GCC to take it. */
function pchFlags(lang: "c" | "cpp"): string[] {
  return ["-x", lang === "c" ? "c-header" : "c++-header", STD[lang], "-w", ...EXTRA_INCLUDE_DIRS.flatMap((d) => ["-isystem", d])];
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
