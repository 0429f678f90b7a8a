// From a block's raw result to its status (§6), message, diff and the actual text of its claims. Pure.
import { compareOutput, judgeCommand, judgeExample, mergeExpected, toLines } from "./judge.ts";
import type { PlannedStep } from "./plan.ts";
import { functionBodyFragment, handWrittenTraceback, hasPlaceholders, hostCommand, isCallForms, isJsonContent, isSignature, networkError, python2Compile, python2Sign } from "./reader.ts";
import { NO_PROCESS, type StepRaw, type UnboundName } from "./runners/protocol.ts";
import type { ActualClaim, Status } from "./types.ts";

export interface Verdict {
  status: Status;
  message: string;
  diff?: string;
  missing?: string[];
  actual?: ActualClaim[];
  duration_ms: number;
  /** Imports the reader supplies (§4b). */
  assumed?: string[];
  /** It stopped at a NameError: for the note-level pass that finds cascades and excerpts (§4b). */
  unbound?: UnboundName;
  /** Why, in a word the page turns into a reader's reason (§8): "network", "host", "python2". */
  reason?: "network" | "host" | "python2";
}

const SUGGEST_TEXT = "if it is output or an error message, label the block `text`";

function lastMeaningfulLine(output: string): string {
  const lines = toLines(output).filter((l) => l.trim());
  const err = [...lines].reverse().find((l) => /^[\w.]*(Error|Exception)\b.*:/.test(l.trim()) || /^\w+Error$/.test(l.trim()));
  return (err ?? lines[lines.length - 1] ?? "").trim();
}

function secs(t: number): string {
  return `${t} s`;
}

function rewrite(expected: string, actual: string, strict: boolean): string {
  return mergeExpected(toLines(expected), toLines(actual), { strict }).join("\n");
}

/** "import numpy as np", "import os" → "`import numpy as np`, `import os`". */
export function assumedText(assumed: string[]): string {
  return assumed.map((a) => `\`${a}\``).join(", ");
}

/** The status of one planned block from what the worker reported, with the imports it was given (§4b). */
export function judgeStep(step: PlannedStep, raw: StepRaw | undefined): Verdict {
  const verdict = readAsReader(step, raw, judgeRaw(step, raw));
  if (raw?.assumed?.length && verdict.status !== "missing-deps") {
    verdict.assumed = raw.assumed;
    verdict.message += `; assuming ${assumedText(raw.assumed)}`;
  }
  if (raw?.unbound && (verdict.status === "failed" || verdict.status === "warning")) verdict.unbound = raw.unbound;
  return verdict;
}

/**
 * What a reader makes of a block that does not run as-is (§4b): a signature or a template is checked, not broken;
 * a network error is the sandbox's doing; a traceback typed by hand (frames `in ?`) illustrates, it was not pasted
 * from Python 3; output only Python 2 prints says so; a failure with a library's output names its version here.
 */
function readAsReader(step: PlannedStep, raw: StepRaw | undefined, verdict: Verdict): Verdict {
  const text = step.snippet.text;
  const bad = verdict.status === "failed" || verdict.status === "warning" || verdict.status === "invalid";
  if (!bad || !raw) return verdict;
  if (verdict.status === "invalid" && functionBodyFragment(verdict.message)) {
    return { ...verdict, status: "excerpt", message: `excerpt: the inside of a function (${verdict.message.replace(/;.*$/, "")})` };
  }
  // the code only (a REPL's expected output may show `<stdin>` or a repr)
  const code = step.examples ? step.examples.map((e) => e.source).join("") : text;
  const callForms = raw.unbound && isCallForms(code, raw.unbound.name);
  const shape = isSignature(code) || callForms ? "a signature" : hasPlaceholders(code) ? "a template with <placeholders>" : null;
  if (shape && (verdict.status === "invalid" || raw.unbound)) return { ...verdict, status: "checked", message: `${shape}, not a program: ${verdict.message}`, diff: undefined, actual: undefined, unbound: undefined };
  if (step.snippet.lang === "javascript" && isJsonContent(text)) {
    return { ...verdict, status: "checked", message: `JSON (a config file's content), not a program: ${verdict.message}`, diff: undefined, actual: undefined };
  }
  // the exceptions raised, not what the block printed (`>>> ConnectionRefusedError.__name__` is not a network error)
  const problem = [raw.exc, ...(raw.examples ?? []).map((e) => e.exc)].filter(Boolean).join("\n");
  if (step.job.op !== "sh" && networkError(problem)) return { ...verdict, status: "environment", reason: "network", message: `needs the network, which the sandbox withholds: ${verdict.message}`, diff: undefined, actual: undefined };
  const wants = (step.examples ?? []).map((e) => e.want).join("\n") + (step.snippet.output?.text ?? "");
  if (verdict.status === "failed" && step.job.op === "repl" && handWrittenTraceback(wants)) {
    return { ...verdict, status: "warning", message: `an illustration: its tracebacks (frames \`in ?\`) were written by hand or by Python ≤ 2.4, not by this interpreter; ${verdict.message}` };
  }
  const py2 = python2Sign(wants) ?? python2Sign(text) ?? (python2Compile(verdict.message) ? "syntax" : null);
  if (py2) return { ...verdict, reason: "python2", message: `written for Python 2 (${py2}): ${verdict.message}` };
  if (verdict.status === "failed" && raw.versions && Object.keys(raw.versions).length) {
    const libs = Object.entries(raw.versions).map(([m, ver]) => `${m} ${ver}`).join(", ");
    return { ...verdict, message: `${verdict.message}; printed by ${libs} here: the note may show another version's output` };
  }
  return verdict;
}

function judgeRaw(step: PlannedStep, raw: StepRaw | undefined): Verdict {
  const s = step.snippet;
  const job = step.job;
  const duration_ms = Math.round(raw?.ms ?? (raw?.examples ?? []).reduce((a, e) => a + (e.ms ?? 0), 0) + (raw?.commands ?? []).reduce((a, c) => a + (c.ms ?? 0), 0));
  const v = (status: Status, message: string, extra: Partial<Verdict> = {}): Verdict => ({ status, message, duration_ms, ...extra });
  const claimed = !!s.output || step.exit !== undefined || (step.commands ?? []).some((c) => c.expected !== null) || (step.examples ?? []).length > 0;

  if (!raw) return v("warning", "no result from the verifier (internal error)");
  // a harness error is reported by the session's own process, which the note's code can write to: a claim it
  // stopped is not a claim that held
  if (raw.error) {
    const last = raw.error.trim().split("\n").pop();
    // the session's process limit filled by the note's own processes (a fork bomb's children): its words, not ours
    const why = last?.startsWith(NO_PROCESS) ? last : `verifier error: ${last}`;
    return v(claimed && !step.check ? "failed" : "warning", why);
  }
  if (raw.missing?.length) {
    const assumed = raw.assumed?.length ? ` (assuming ${assumedText(raw.assumed)})` : "";
    return v("missing-deps", `needs ${raw.missing.join(", ")}${assumed}`, { missing: raw.missing, ...(raw.assumed?.length ? { assumed: raw.assumed } : {}) });
  }
  if (raw.unresolved?.length) {
    return v("unresolved", `needs ${raw.unresolved.join(", ")}, which no block provides (give a block title="${raw.unresolved[0]}")`);
  }
  if (raw.killed) {
    if (raw.killed.startsWith("not run: no sandbox")) return v("extracted", raw.killed);
    if (raw.timedOut) {
      const msg = `timed out after ${secs(job.timeout)} (the interpreter was killed)`;
      return v(claimed && !step.check ? "failed" : "warning", claimed ? msg : `does not finish within ${secs(job.timeout)} (the interpreter was killed)`);
    }
    // the verifier's own trouble (its worker could not start or died twice): not the note's; the run says so
    if (/^(the python worker died|worker error|the pool is closed)/.test(raw.killed)) return v("warning", `not run: the verifier failed (${raw.killed})`);
    // §5: a claim that never ran is not a claim that held, whatever stopped the session (an os._exit in an
    // earlier block, a limit, a crash)
    if (claimed && !step.check && !step.nocheck) return v("failed", `the claim never ran: ${raw.killed}`);
    return v("warning", `not run: ${raw.killed}`);
  }

  if (job.op === "py") {
    if (raw.compileError) {
      const ce = raw.compileError;
      return v("invalid", `not valid python: ${ce.message}${ce.line ? ` (line ${ce.line})` : ""}; ${SUGGEST_TEXT}`);
    }
    if (step.check) return v("checked", s.name ? `${s.name}: not used by any transcript; syntax and imports ok` : "norun: syntax and imports ok");
    return judgeRun(step, raw, claimed, duration_ms);
  }

  if (job.op === "script") {
    if (step.check) {
      if (job.lang === "shell") {
        if (raw.syntax) return v("invalid", `bash -n: ${raw.syntax.split("\n")[0]}`);
        return v("checked", s.name ? `${s.name}: not used; bash -n ok` : "command list: bash -n ok (not run)");
      }
      if ((raw.exit ?? 0) !== 0) return v("invalid", `node --check: ${lastMeaningfulLine(raw.output ?? "")}`);
      return v("checked", "node --check: ok (not run)");
    }
    return judgeRun(step, raw, claimed, duration_ms);
  }

  if (job.op === "repl") {
    const examples = step.examples ?? [];
    const got = raw.examples ?? [];
    if (!examples.length) return v("checked", "no `>>>` examples");
    const diffs: string[] = [];
    const actual: ActualClaim[] = [];
    let first: string | undefined;
    let invalid: string | undefined;
    for (let k = 0; k < examples.length; k++) {
      const ex = examples[k];
      const g = got[k] ?? { output: "", exit: 0 };
      if (step.check) {
        if (g.compileError) invalid ??= `line ${ex.line}: ${g.compileError.message}`;
        continue;
      }
      if (g.timedOut) {
        first ??= `line ${ex.line}: ${g.notRun ? "not run: the block's time ran out" : `timed out after ${secs(job.timeout)}`}`;
        continue;
      }
      if (step.nocheck) {
        if (g.exc) first ??= `line ${ex.line}: ${g.exc}`;
        continue;
      }
      const j = judgeExample(ex.want, { output: g.output, exc: g.exc }, { strict: step.strict });
      const merged = rewrite(ex.want, g.output, step.strict);
      const newWant = merged
        .split("\n")
        .map((l) => (l.trim() === "" ? "<BLANKLINE>" : l))
        .join("\n")
        .replace(/^<BLANKLINE>$/, "");
      actual.push({ where: "example", k, from: ex.from, to: ex.to, actual: j.ok ? ex.want : newWant, ok: j.ok });
      if (j.ok) continue;
      if (g.compileError) invalid ??= `line ${ex.line}: ${g.compileError.message}`;
      first ??= `line ${ex.line}: ${j.unexpected ?? "output differs"}`;
      diffs.push(`>>> ${ex.source.split("\n")[0]}   (line ${ex.line})\n${j.diff ?? ""}`);
    }
    if (step.check) return invalid ? v("invalid", `not valid python 3: ${invalid}; ${SUGGEST_TEXT}`) : v("checked", "norun: syntax ok");
    if (invalid) return v("invalid", `not valid python 3: ${invalid}`, { diff: diffs.join("\n\n") || undefined, actual });
    if (step.nocheck) return first ? v("warning", `does not run as-is: ${first}`) : v("passed", "ran (nocheck: output not compared)");
    if (first) return v("failed", first + (diffs.length > 1 ? ` (and ${diffs.length - 1} more)` : ""), { diff: diffs.join("\n\n") || undefined, actual });
    return v("passed", `${examples.length} example${examples.length === 1 ? "" : "s"} passed`, { actual });
  }

  // transcripts
  if (step.check) {
    if (raw.syntax) return v("invalid", `bash -n: ${raw.syntax.split("\n")[0]}`);
    return v("checked", "command list: bash -n ok (not run)");
  }
  const cmds = step.commands ?? [];
  const got = raw.commands ?? [];
  const diffs: string[] = [];
  const actual: ActualClaim[] = [];
  let first: string | undefined;
  let compared = 0;
  let nonzero: string | undefined;
  let host: { reason: "host" | "network"; text: string } | undefined;
  for (let k = 0; k < cmds.length; k++) {
    const c = cmds[k];
    const shows = hostCommand(c.cmd, cmds.slice(0, k).map((e) => e.cmd));
    const g = got[k] ?? { output: "", rc: -1, notRun: true };
    const exitAttr = k === cmds.length - 1 ? step.exit : undefined;
    if (g.timedOut) {
      first ??= `line ${c.line}: ${g.notRun ? "not run: the block's time ran out" : `\`${c.cmd.split("\n")[0]}\` timed out after ${secs(job.timeout)}`}`;
      continue;
    }
    if (g.rc !== 0 && shows) host ??= { reason: shows, text: `line ${c.line}: \`${c.cmd.split("\n")[0]}\` exited with status ${g.rc}` };
    else if (g.rc !== 0) nonzero ??= `line ${c.line}: \`${c.cmd.split("\n")[0]}\` exited with status ${g.rc}: ${lastMeaningfulLine(g.output)}`;
    if ((c.expected === null && exitAttr === undefined) || step.nocheck) continue;
    compared++;
    const j = judgeCommand(c.expected ?? [], g.output, g.rc, { strict: step.strict, exit: exitAttr });
    const showExit = /^\s*\[-?\d+\]\s*$/.test((c.expected ?? [])[(c.expected ?? []).length - 1] ?? "") && !j.ok && j.exit;
    actual.push({
      where: "command",
      k,
      from: c.from,
      to: c.to,
      actual: j.ok ? (c.expected ?? []).join("\n") : rewrite((c.expected ?? []).join("\n"), g.output, step.strict) + (showExit ? `\n[${g.rc}]` : ""),
      ok: j.ok,
    });
    if (j.ok) continue;
    if (shows) {
      // the author's machine, not the note: not compared (§4b)
      host ??= { reason: shows, text: `line ${c.line}: \`${c.cmd.split("\n")[0]}\` shows ${shows === "network" ? "the network" : "the author's machine"}` };
      continue;
    }
    first ??= `line ${c.line}: ${j.exit ? `exit status ${j.exit.actual}, expected ${j.exit.expected}` : `output of \`${c.cmd.split("\n")[0]}\` differs`}`;
    diffs.push(`$ ${c.cmd.split("\n")[0]}   (line ${c.line})\n${j.diff ?? ""}`);
  }
  if (first) return v("failed", first + (diffs.length > 1 ? ` (and ${diffs.length - 1} more)` : ""), { diff: diffs.join("\n\n") || undefined, actual });
  if (host) return v("environment", `${host.text}: not compared`, { reason: host.reason });
  if (!compared) {
    if (nonzero) return v("warning", `does not run as-is: ${nonzero}`);
    return v("passed", `${cmds.length} command${cmds.length === 1 ? "" : "s"} ran (no output shown to compare)`);
  }
  return v("passed", `${compared} output${compared === 1 ? "" : "s"} matched`, { actual });
}

/** A python or script block that ran: its output block and exit claims, or "runs as-is". */
function judgeRun(step: PlannedStep, raw: StepRaw, claimed: boolean, duration_ms: number): Verdict {
  const s = step.snippet;
  const job = step.job;
  const v = (status: Status, message: string, extra: Partial<Verdict> = {}): Verdict => ({ status, message, duration_ms, ...extra });
  const output = raw.output ?? "";
  const exit = raw.exit ?? 0;
  const problem = raw.exc ?? (exit !== 0 ? `exit status ${exit}${lastMeaningfulLine(output) ? `: ${lastMeaningfulLine(output)}` : ""}` : undefined);
  if (raw.timedOut) {
    if (step.stopsEarly && !raw.exc) return v("passed", `ran ${secs(job.timeout)} without an error, then was stopped (it runs on: a server or a loop)`);
    return claimed && !step.nocheck
      ? v("failed", `timed out after ${secs(job.timeout)}`)
      : v("warning", `does not finish within ${secs(job.timeout)}`);
  }
  if (step.nocheck) return problem ? v("warning", `does not run as-is: ${problem}`) : v("passed", "ran (nocheck: output not compared)");
  if (!claimed) return problem ? v("warning", `does not run as-is: ${problem}`) : v("passed", "runs without error");
  const diffs: string[] = [];
  const actual: ActualClaim[] = [];
  let message: string | undefined;
  if (s.output) {
    const c = compareOutput(s.output.text, output, { strict: step.strict });
    const nLines = s.output.text.replace(/\n$/, "").split("\n").length;
    actual.push({
      where: "output",
      k: 0,
      from: s.output.contentLine,
      to: s.output.contentLine + (s.output.text === "" ? 0 : nLines),
      actual: c.ok ? s.output.text.replace(/\n$/, "") : rewrite(s.output.text, output, step.strict),
      ok: c.ok,
    });
    if (!c.ok) {
      message = `output differs from block ${s.output.index} (line ${s.output.line})${problem ? `; ${problem}` : ""}`;
      diffs.push(c.diff ?? "");
    }
  }
  if (step.exit !== undefined && exit !== step.exit) {
    message ??= `exit status ${exit}, expected ${step.exit}${problem && exit !== 0 ? ` (${problem})` : ""}`;
  }
  if (message) return v("failed", message, { diff: diffs.join("\n\n") || undefined, actual });
  return v("passed", s.output ? `output matches block ${s.output.index}` : `exit status ${exit} as claimed`, { actual });
}
