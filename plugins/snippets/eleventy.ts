// Eleventy adapter of the verified-snippets plugin. It joins the notes pipeline of the Hexo plugin (same
// markdown-it parse as the page): each fence is marked when rendered, its snippets are extracted from the note's
// own tokens, verified (cached) after all notes are rendered, and the marks become captions, badges, copy
// buttons and download links. It also writes `<post URL>snippets/…` and adds the `/snippets/` report page.
import { createHash } from "node:crypto";
import path from "node:path";
import type UserConfig from "@11ty/eleventy/UserConfig";
import type { MarkdownIt } from "markdown-it";
import { joinNotesAtEachBuild, type GeneratedFile, type NotesExtension, type NoteForExtension } from "../hexo/extensions.ts";
import type { Diagnostic } from "../hexo/types.ts";
import { SANDBOX_HELP } from "./runners/sandbox.ts";
import { extractSnippets } from "./extract.ts";
import { createVerifier, type Verifier } from "./verify.ts";
import { renderSnippetDecorations, renderNoteSummary, snippetFileNames } from "./render.ts";
import { memoryNoteFiles, noteFilesCode, storedNoteFiles, temporaryNoteFiles, type NoteFilesMaker } from "./note-files.ts";
import { noteSummaryLine } from "./report.ts";
import { VERIFIER_VERSION, emptySummary, type Snippet, type SnippetResult, type Status } from "./types.ts";

export interface SnippetsPluginOptions {
  /** Verify during the build (default true); false only extracts (files, captions, copy buttons). */
  verify?: boolean;
  /** Where verification results are cached (default `.cache/snippets`, shared with `npm run verify`). */
  cacheDir?: string | null;
  /** Seconds per block (default 10). */
  timeout?: number;
  /** Layout of the `/snippets/` report page (default `snippets.njk`); false: no report page. */
  reportLayout?: string | false;
}

interface ResolvedOptions {
  verify: boolean;
  cacheDir: string | null;
  timeout: number;
  reportLayout: string | false;
}

function resolve(options: SnippetsPluginOptions): ResolvedOptions {
  return {
    verify: options.verify ?? true,
    cacheDir: options.cacheDir === undefined ? ".cache/snippets" : options.cacheDir,
    timeout: options.timeout ?? 10,
    reportLayout: options.reportLayout ?? "snippets.njk",
  };
}

/** Event emitted with the SnippetsReport after each build's verification (the build CLI prints its counts). */
export const SNIPPETS_EVENT = "verinotes.snippets";

/** Event emitted as each note's snippets are verified during a build (the build CLI shows a progress bar). */
export const SNIPPETS_PROGRESS_EVENT = "verinotes.snippets.progress";

export interface SnippetsProgress {
  /** Notes verified so far (0 when verification starts), of `total` notes with snippets. */
  done: number;
  total: number;
  /** The note just verified. */
  source: string;
}

export default function verifiedSnippets(eleventyConfig: UserConfig, userOptions: SnippetsPluginOptions = {}): void {
  const options = resolve(userOptions);
  // Under `npm start` what each note came to is kept for the next build; a one-shot build would only hold it.
  let watching = false;
  eleventyConfig.on("eleventy.before", ({ runMode }: { runMode?: string }) => {
    watching = runMode === "serve" || runMode === "watch";
  });
  joinNotesAtEachBuild(
    eleventyConfig,
    "the snippets plugin",
    snippetsExtension(
      options,
      (report) => eleventyConfig.emit(SNIPPETS_EVENT, report),
      (progress) => eleventyConfig.emit(SNIPPETS_PROGRESS_EVENT, progress),
      () => watching,
    ),
  );
  if (options.reportLayout) {
    eleventyConfig.addTemplate("verinotes/snippets-report.njk", "", {
      layout: options.reportLayout,
      permalink: "snippets/index.html",
      eleventyExcludeFromCollections: true,
      eleventyComputed: {
        site: (d: { hexo: { site: unknown } }) => d.hexo.site,
        t: (d: { hexo: { t: unknown } }) => d.hexo.t,
        report: (d: { hexo: { extensions: Record<string, unknown> } }) => d.hexo.extensions.snippets,
        pageTitle: () => "Snippets",
      },
    });
  }
}

/** One note's line in the report page. */
export interface ReportNote {
  title: string;
  url: string;
  /** The id of its row, linked from the note's summary line. */
  anchor: string;
  source: string;
  summary: string;
  counts: Partial<Record<Status, number>>;
  problems: { index: number; line: number; status: Status; message: string; anchor: string }[];
}

export interface SnippetsReport {
  summary: Record<Status, number>;
  total: number;
  notes: ReportNote[];
  /** Sessions that ran in this build (the rest came from the cache); 0 when verification is off. */
  sessionsRun: number;
}

const problemStatuses: Status[] = ["failed", "warning", "invalid", "unresolved", "missing-deps", "environment", "excerpt"];

export function snippetsExtension(
  options: ResolvedOptions,
  onReport: (report: SnippetsReport) => unknown = () => {},
  onProgress: (progress: SnippetsProgress) => unknown = () => {},
  /** Whether another build follows in this process (`npm start`): then each note's output is kept for it. */
  buildsAgain: () => boolean = () => false,
): NotesExtension {
  // One verifier for the plugin's life, made now: the interpreter is probed while the site loads, and once, not at
  // every rebuild under `npm start`. Its workers stop after each build and start again when a build needs them.
  const verifier = options.verify ? createVerifier({ cacheDir: options.cacheDir, timeout: options.timeout }) : undefined;
  // What each note came to in the last build (`npm start`), kept while its HTML, route and results are the same ones.
  const lastBuild = new Map<string, { from: string; out: NoteOutput }>();
  // The last build's files in a temporary file (no cache folder): freed once the next build starts, they are written.
  let pendingFiles: { close(): void } | undefined;
  // The code that makes a note's files, part of their key in the cache folder (hashed once, when first needed).
  let filesCode: string | undefined;
  return {
    name: "snippets",
    version: VERIFIER_VERSION,
    setupMarkdown: markFences,
    collect: (note, tokens) => extractSnippets(tokens as never, { file: note.source, bodyLine: note.bodyLine }),
    async finish(notes) {
      const { results, sessionsRun, noSandbox } = verifier
        ? await verifyAll(notes, verifier, onProgress)
        : { results: new Map<string, SnippetResult[]>(), sessionsRun: 0, noSandbox: null };
      // what extraction found (malformed info strings, unknown keys, refused file names): file and line, in the build's list
      const diagnostics: Diagnostic[] = notes.flatMap((n) =>
        ((n.collected as Snippet[] | undefined) ?? []).flatMap((s) => s.diagnostics.map((d) => ({ ...d, file: n.source }))),
      );
      if (noSandbox) {
        diagnostics.push({
          severity: "warning",
          file: "(snippets)",
          message: `no note code was run: ${noSandbox}`,
          hint: `code blocks are shown as not run; ${SANDBOX_HELP}`,
        });
      }
      const decorators = new Map<string, (html: string) => string>();
      const notices: Record<string, string> = {};
      const files: GeneratedFile[] = [];
      const reportNotes: ReportNote[] = [];
      const summary = emptySummary();
      const keep = buildsAgain();
      pendingFiles?.close();
      pendingFiles = undefined;
      const maker = options.cacheDir ? storedNoteFiles(options.cacheDir) : keep ? memoryNoteFiles() : (pendingFiles = temporaryNoteFiles());
      const keyed = options.cacheDir !== null || keep;
      if (options.cacheDir) filesCode ??= noteFilesCode();
      for (const note of notes) {
        const snippets = (note.collected as Snippet[] | undefined) ?? [];
        if (!snippets.length) continue;
        const noteResults = results.get(note.source) ?? [];
        // what the note's files are made from (and the code that makes them)
        const key = keyed ? createHash("sha1").update(filesCode ?? "").update(JSON.stringify([snippets, noteResults])).digest("hex") : "";
        const from = keep ? JSON.stringify([key, note.route, note.url, note.title, note.lang]) : "";
        const last = keep ? lastBuild.get(note.source) : undefined;
        const out = last && last.from === from ? last.out : noteOutput(note, snippets, noteResults, options.reportLayout !== false, maker, key);
        if (keep) lastBuild.set(note.source, { from, out });
        decorators.set(note.source, out.decorate);
        files.push(...out.files);
        if (out.notice !== undefined) notices[note.source] = out.notice;
        if (out.reportNote) reportNotes.push(out.reportNote);
        for (const r of noteResults) summary[r.status]++;
      }
      maker.done(!keep);
      const sources = new Set(notes.map((n) => n.source));
      for (const source of lastBuild.keys()) if (!sources.has(source) || !buildsAgain()) lastBuild.delete(source);
      // Failures first, then notes with other problems, then by title.
      const weight = (n: ReportNote) => (n.counts.failed ? 0 : problemStatuses.some((s) => n.counts[s]) ? 1 : 2);
      reportNotes.sort((a, b) => weight(a) - weight(b) || a.title.localeCompare(b.title));
      const report: SnippetsReport = { summary, total: Object.values(summary).reduce((a, b) => a + b, 0), notes: reportNotes, sessionsRun };
      await onReport(report);
      // Each note's HTML is decorated when the notes plugin hands it over, one note at a time.
      const rewriteHtml = (source: string, html: string) => decorators.get(source)?.(html) ?? html;
      return { rewriteHtml, notices, files, data: report, diagnostics };
    },
  };
}

/** What one note's snippets add to the site: the decorations of its HTML, the files, the summary line, the report entry. */
interface NoteOutput {
  decorate: (html: string) => string;
  files: GeneratedFile[];
  notice?: string;
  reportNote?: ReportNote;
}

function noteOutput(note: NoteForExtension, snippets: Snippet[], results: SnippetResult[], withReport: boolean, maker: NoteFilesMaker, key: string): NoteOutput {
  const byIndex = new Map(results.map((r) => [r.index, r]));
  const folder = path.posix.join(path.posix.dirname(note.route), "snippets");
  const names = snippetFileNames(snippets); // the page links to the files by these names
  const { files, zip } = maker.filesOf({ folder, snippets, results, names, key });
  // the report page from the note's page, relative, so that it works under any `root`
  const up = "../".repeat(path.posix.dirname(note.route).split("/").filter((p) => p && p !== ".").length);
  const anchor = reportAnchor(note.source);
  const summary = { language: note.lang, zip, ...(withReport ? { reportHref: `${up}snippets/#${anchor}` } : {}) };
  return {
    decorate: (html) => decorate(html, snippets, byIndex, names, note.lang),
    files,
    ...(results.length ? { notice: renderNoteSummary(results, summary), reportNote: reportNote(note, results, anchor) } : {}),
  };
}

/** The id of a note's row in the `/snippets/` report. */
function reportAnchor(source: string): string {
  return `note-${createHash("sha1").update(source).digest("hex").slice(0, 10)}`;
}

async function verifyAll(
  notes: NoteForExtension[],
  verifier: Verifier,
  onProgress: (progress: SnippetsProgress) => unknown,
): Promise<{ results: Map<string, SnippetResult[]>; sessionsRun: number; noSandbox: string | null }> {
  const before = verifier.stats().sessionsRun;
  try {
    const out = new Map<string, SnippetResult[]>();
    const withSnippets = notes.filter((n) => ((n.collected as Snippet[] | undefined) ?? []).length);
    let done = 0;
    onProgress({ done, total: withSnippets.length, source: "" });
    const results = await Promise.all(
      withSnippets.map((n) =>
        verifier.verifySnippets(n.source, n.collected as Snippet[]).then((r) => {
          onProgress({ done: ++done, total: withSnippets.length, source: n.source });
          return r;
        }),
      ),
    );
    results.forEach((r, i) => out.set(withSnippets[i].source, r.snippets));
    return { results: out, sessionsRun: verifier.stats().sessionsRun - before, noSandbox: verifier.sandboxError() };
  } finally {
    await verifier.close();
  }
}

/** Marks each rendered fence with its ordinal, so decorations can be put around it after verification. */
function markFences(md: MarkdownIt): void {
  const fence = md.renderer.rules.fence!;
  md.renderer.rules.fence = (tokens, idx, opts, env, self) => {
    let ordinal = 0;
    for (let i = 0; i <= idx; i++) if (tokens[i].type === "fence") ordinal++;
    return `<!--vn-snippet:${ordinal}-->${fence(tokens, idx, opts, env, self)}<!--/vn-snippet:${ordinal}-->`;
  };
}

function decorate(html: string, snippets: Snippet[], results: Map<number, SnippetResult>, names: Map<number, string>, language: string): string {
  const byIndex = new Map(snippets.map((s) => [s.index, s]));
  return html.replace(/<!--vn-snippet:(\d+)-->([\s\S]*?)<!--\/vn-snippet:\1-->/g, (whole, n: string, inner: string) => {
    const snippet = byIndex.get(Number(n));
    if (!snippet) return inner;
    const name = names.get(snippet.index);
    const d = renderSnippetDecorations(snippet, results.get(snippet.index), { language, ...(name ? { downloadHref: `snippets/${encodeURI(name)}` } : {}) });
    return `${d.before}${inner}${d.after}`;
  });
}

function reportNote(note: NoteForExtension, results: SnippetResult[], anchor: string): ReportNote {
  const counts: Partial<Record<Status, number>> = {};
  for (const r of results) counts[r.status] = (counts[r.status] ?? 0) + 1;
  return {
    title: note.title || note.source,
    url: note.url,
    anchor,
    source: note.source,
    summary: noteSummaryLine(results),
    counts,
    problems: results
      .filter((r) => problemStatuses.includes(r.status))
      .map((r) => ({ index: r.index, line: r.line, status: r.status, message: r.message, anchor: `${note.url}#snippet-${r.index}` })),
  };
}
