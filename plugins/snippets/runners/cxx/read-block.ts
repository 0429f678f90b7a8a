// Reading one C/C++ block as a reader reads it: its top-level chunks (declarations, definitions, statements),
// the includes it makes, the macros it defines, the library namespaces it uses without including them, and
// whether it is a fragment (statements outside any function) or ends without its `;`.
import { CLOSERS, OPENERS, balanceProblem, lex, type Problem, type Tok } from "./lex.ts";
import type { CxxBlock } from "./unit.ts";

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

export interface Chunk {
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

export interface ReadBlock {
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

export function readBlock(block: CxxBlock): ReadBlock {
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
