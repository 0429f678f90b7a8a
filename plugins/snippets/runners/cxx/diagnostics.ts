// Judging a unit per block from the compiler's merged output and exit status: which block a diagnostic belongs
// to, a missing header (missing-deps), names declared nowhere in the note (excerpt), errors that only follow
// from wrapping a fragment, and a compiler that failed on its own.
import path from "node:path";
import { REGION, fragmentFunction, type CxxUnit } from "./unit.ts";

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
