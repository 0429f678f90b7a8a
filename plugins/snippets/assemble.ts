// A note's report rows from its plan and the verdicts of its blocks (§4b, §9): imported with planning, at the first
// note that is not in the cache.
import type { Verdict } from "./decide.ts";
import { snippetFileName } from "./names.ts";
import type { NotePlan } from "./plan.ts";
import type { SnippetResult, Status } from "./types.ts";

/** Severity order: which status wins when several apply (file blocks, note summaries). */
const WORST: Status[] = ["failed", "warning", "invalid", "unresolved", "missing-deps", "environment", "excerpt", "passed", "file", "checked", "extracted", "skipped"];

/**
 * A block that stopped at a NameError, read as its reader would (§4b): a name an earlier block binds but could
 * not run (missing-deps, invalid, …) makes it that block's status ("depends on block N"); a name no block binds
 * makes it an excerpt of a larger program. Rows are made in document order, so cascades chain.
 */
function readAsReader(r: SnippetResult, unbound: NonNullable<Verdict["unbound"]>, byIndex: Map<number, SnippetResult>): void {
  if (unbound.boundBy !== null) {
    const dep = byIndex.get(unbound.boundBy);
    if (!dep || dep.status === "passed" || dep.status === "file" || (unbound.ran && dep.status !== "warning")) return;
    r.status = dep.status;
    r.dependsOn = dep.index;
    r.message = `depends on block ${dep.index} (${unbound.name}), which is ${dep.status}: ${dep.message}`;
    if (dep.missing) r.missing = dep.missing;
    delete r.diff;
    delete r.actual;
    return;
  }
  // a typo of a name the note has (`fo` for `Foo`): a true finding, not an excerpt
  if (unbound.typo) {
    r.message += ` (did you mean ${unbound.typo}?)`;
    return;
  }
  r.status = "excerpt";
  r.message = unbound.later
    ? `excerpt: uses ${unbound.name} before the block that defines it`
    : `excerpt: uses ${unbound.name}, which no block of the note defines`;
  delete r.diff;
  delete r.actual;
}

/** The report rows of one note, from the plan and the verdicts. */
export function assemble(source: string, plan: NotePlan, verdicts: Map<number, Verdict>): SnippetResult[] {
  const blocks = plan.snippets.filter((s) => s.kind !== "output");
  const out: SnippetResult[] = [];
  const byIndex = new Map<number, SnippetResult>();
  const count = plan.snippets.length;
  for (const s of blocks) {
    const r: SnippetResult = {
      source,
      index: s.index,
      line: s.line,
      lang: s.lang,
      kind: s.kind,
      name: snippetFileName(s, count),
      status: "extracted",
      message: "",
      duration_ms: 0,
      hash: s.hash,
    };
    if (s.session) r.session = s.session;
    if (s.output) {
      r.output_index = s.output.index;
      r.output_line = s.output.line;
    }
    const fixed = plan.fixed.get(s.index);
    const v = verdicts.get(s.index);
    if (fixed) {
      r.status = fixed.status;
      r.message = fixed.message;
    } else if (v) {
      r.status = v.status;
      r.message = v.message;
      r.duration_ms = v.duration_ms;
      if (v.diff) r.diff = v.diff;
      if (v.missing) r.missing = v.missing;
      if (v.assumed) r.assumed = v.assumed;
      if (v.reason) r.reason = v.reason;
      if (v.actual?.length) r.actual = v.actual;
      if (v.unbound) readAsReader(r, v.unbound, byIndex);
    }
    const files = plan.filesOf.get(s.index);
    if (files) {
      r.files = files;
      const inferred = files.filter((f) => f.inferred && f.from !== undefined);
      if (inferred.length) r.message += `${r.message ? "; " : ""}${inferred.map((f) => `${f.name}: inferred from block ${f.from}`).join(", ")}`;
    }
    out.push(r);
    byIndex.set(s.index, r);
  }
  // blocks that serve as files: the worst of the transcripts that run them (§3), `file` when they pass
  for (const [index, use] of plan.fileOf) {
    const r = byIndex.get(index);
    if (!r || plan.fixed.has(index)) continue;
    r.file = use;
    if (!use.usedBy.length) continue;
    const users = use.usedBy.map((u) => byIndex.get(u)).filter((u): u is SnippetResult => !!u);
    const bad = users.find((u) => u.status === "failed") ?? users.find((u) => u.status === "warning");
    const how = use.inferred ? `inferred from block ${use.usedBy[0]}` : "named";
    const who = `used by block${use.usedBy.length > 1 ? "s" : ""} ${use.usedBy.join(", ")}`;
    if (verdicts.has(index)) {
      r.message += `; also the file ${use.name} (${how}), ${who}`;
      if (bad && WORST.indexOf(bad.status) < WORST.indexOf(r.status)) r.status = bad.status;
      continue;
    }
    if (bad) {
      r.status = bad.status;
      r.message = `the file ${use.name} (${how}): block ${bad.index}, which runs it, ${bad.status === "failed" ? "failed" : "has a warning"}`;
    } else {
      r.status = "file";
      r.message = `the file ${use.name}, ${how}; ${who}`;
    }
  }
  return out;
}

export function worstStatus(statuses: Status[]): Status | undefined {
  return [...statuses].sort((a, b) => WORST.indexOf(a) - WORST.indexOf(b))[0];
}
