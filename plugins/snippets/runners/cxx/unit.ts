// C and C++ blocks of a note as translation units (snippets-spec.md §4b, issue 11 "Speed"): all C++ blocks of a
// note in one unit, fragments wrapped in a function, includes hoisted behind __has_include, the usual headers
// from one precompiled header. Pure: blocks in, unit text out. The caller runs the compiler (compiler.ts, inside
// the note's sandbox) and hands its merged output to judgeCxx (diagnostics.ts).
import { PRELUDE_MACRO, preludeIncludes } from "./compiler.ts";
import type { Tok } from "./lex.ts";
import { readBlock, type Chunk, type ReadBlock } from "./read-block.ts";

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

/** Name of the function that holds a block's statements (judgeCxx reads it back to know the block was wrapped). */
export function fragmentFunction(index: number): string {
  return `__verinotes_fragment_${index}`;
}

function blockFile(index: number, lang: "c" | "cpp"): string {
  return `block-${index}.${lang === "c" ? "c" : "cpp"}`;
}

/** Marks where a block's part of the unit starts (judgeCxx maps the unit's own lines back to blocks with it). */
export const REGION = "// verinotes: block ";

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
