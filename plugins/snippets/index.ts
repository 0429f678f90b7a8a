// Public API of the verified-snippets plugin (snippets-spec.md).
export { parseInfoString } from "./info-string.ts";
export { extractSnippets, parseRepl, parseTranscript, type ExtractSource } from "./extract.ts";
export { planNote } from "./plan.ts";
export { compareOutput, judgeCommand, judgeExample, unifiedDiff } from "./judge.ts";
export { createVerifier, verifyNotes, summarize, type NoteInput, type NoteResult, type Verifier } from "./verify.ts";
export { snippetFileName } from "./names.ts";
export { resolveOptions, defaultSplitFrontMatter, defaultMarkdown, parserFrom, type VerifyOptions } from "./options.ts";
export {
  formatSummary,
  toJUnit,
  mergeReports,
  baselineFrom,
  parseBaseline,
  outcome,
  planUpdate,
  noteSummaryLine,
  BASELINE_FILE,
  type Baseline,
} from "./report.ts";
export { renderSnippetDecorations, renderNoteSummary, snippetFiles, badgeTone, type Decorations } from "./render.ts";
export { makeZip } from "./zip.ts";
export * from "./types.ts";
