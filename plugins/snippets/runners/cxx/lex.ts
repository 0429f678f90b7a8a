// A small C/C++ lexer: enough to find a block's top-level statements, includes, macros and unbalanced brackets
// (which would otherwise swallow the blocks after it in the shared unit).

export interface Tok {
  v: string;
  k: "id" | "num" | "str" | "p" | "pp";
  line: number;
  start: number;
  end: number;
}

export interface Problem {
  line: number;
  message: string;
}

const PUNCT3 = ["<<=", ">>=", "...", "->*"];
const PUNCT2 = ["::", "->", "<<", ">>", "++", "--", "==", "!=", "<=", ">=", "&&", "||", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", ".*"];

export function lex(text: string): { toks: Tok[]; problem?: Problem } {
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

export const OPENERS: Record<string, string> = { "(": ")", "[": "]", "{": "}" };
export const CLOSERS = new Set([")", "]", "}"]);

/** Brackets and #if/#endif must balance inside a block, or the block would take the blocks after it with it. */
export function balanceProblem(toks: Tok[]): Problem | undefined {
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

