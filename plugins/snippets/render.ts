// What a page shows around each code block (§8): caption, status badge (message and diff readable
// without JavaScript), copy button and download link; the note's one-line summary; the files written
// next to the page (`<post URL>snippets/…`, index.json, a zip). Pure: values in, strings/bytes out.
import { parseRepl, parseTranscript } from "./extract.ts";
import { readerBadge, snippetMessages } from "./messages.ts";
import type { Snippet, SnippetResult, Status } from "./types.ts";
import { snippetFileName } from "./names.ts";
import { makeZip } from "./zip.ts";
import { escapeHtml } from "../markdown/escape-html.ts";

/** The colour a reader sees (§8): green only for passed, red only for failed, neutral for everything else. */
export function badgeTone(status: Status): "ok" | "bad" | "neutral" {
  return status === "passed" ? "ok" : status === "failed" ? "bad" : "neutral";
}

export interface DecorationOptions {
  /** URL of the snippet file, relative to the page (default `snippets/<name>`). */
  downloadHref?: string;
  /** id of the element that holds the code, for the copy button (default `snippet-<index>-code`). */
  codeId?: string;
  /** The page's language (`language` of the site, or the note's `lang`): the labels' language. */
  language?: string;
}

export interface Decorations {
  /** Opening HTML, to put before the highlighted `<pre>`. */
  before: string;
  /** Closing HTML, to put after it. */
  after: string;
  /** The block's anchor id (`snippet-3`), for links from the report page. */
  id: string;
}

/** Diffs up to this many lines are shown open; longer ones are folded (readable without JavaScript: <details>). */
const OPEN_DIFF_LINES = 12;

/** A unified diff with its removed (the note) and added (the code's output) lines marked for colour. */
export function renderDiff(diff: string): string {
  return diff
    .split("\n")
    .map((line) => {
      const cls = /^-(?!--)/.test(line) ? "del" : /^\+(?!\+\+)/.test(line) ? "ins" : /^@@/.test(line) ? "hunk" : "";
      return cls ? `<span class="snippet__diff-${cls}">${escapeHtml(line)}</span>` : escapeHtml(line);
    })
    .join("\n");
}

/**
 * The HTML around one highlighted block: its name, a badge for readers in the page's language, download and
 * copy; under a failed block, the diff. `result` may be absent (not verified, e.g. a draft build): then only
 * the caption, copy button and download link are shown. Messages for the author are not on the page (§8).
 */
export function renderSnippetDecorations(snippet: Snippet, result: SnippetResult | undefined, opts: DecorationOptions = {}): Decorations {
  const m = snippetMessages(opts.language);
  const id = `snippet-${snippet.index}`;
  const codeId = opts.codeId ?? `${id}-code`;
  if (snippet.kind === "output") {
    const status = result?.status;
    const of = `<a href="#snippet-${snippet.outputOf}">#${snippet.outputOf}</a>`;
    return {
      id,
      before:
        `<figure class="snippet snippet--output${status ? ` snippet--${status}` : ""}" id="${id}" data-snippet="${snippet.index}">` +
        `<figcaption class="snippet__bar"><span class="snippet__name">${m.expectedOutputOf.replace("%s", of)}</span></figcaption>`,
      after: "</figure>",
    };
  }
  const name = snippetFileName(snippet);
  const href = opts.downloadHref ?? `snippets/${encodeURI(name)}`;
  const caption = snippet.name ?? name;
  const parts: string[] = [];
  parts.push(`<figure class="snippet${result ? ` snippet--${result.status}` : ""}" id="${id}" data-snippet="${snippet.index}"${result ? ` data-status="${result.status}"` : ""}>`);
  parts.push(`<figcaption class="snippet__bar">`);
  parts.push(`<span class="snippet__name">${escapeHtml(caption)}</span>`);
  if (result) {
    const tone = badgeTone(result.status);
    const depends = result.dependsOn ? ` · <a href="#snippet-${result.dependsOn}">${escapeHtml(m.dependsOn.replace("%d", String(result.dependsOn)))}</a>` : "";
    parts.push(`<span class="snippet__badge snippet__badge--${tone}" data-status="${result.status}">${escapeHtml(readerBadge(result, m))}${depends}</span>`);
  }
  parts.push(`<a class="snippet__download" href="${escapeHtml(href)}" download="${escapeHtml(name)}">${escapeHtml(m.download)}</a>`);
  parts.push(`<button type="button" class="snippet__copy" data-copy="${escapeHtml(codeId)}" data-copied-label="${escapeHtml(m.copied)}" hidden>${escapeHtml(m.copy)}</button>`);
  parts.push(`</figcaption>`);
  let after = "";
  if (result?.status === "failed" && result.diff) {
    const long = result.diff.split("\n").length > OPEN_DIFF_LINES;
    after =
      `<details class="snippet__details"${long ? "" : " open"}><summary>${escapeHtml(m.diffSummary)}</summary>` +
      `<pre class="snippet__diff">${renderDiff(result.diff)}</pre></details>`;
  }
  return { id, before: parts.join(""), after: `${after}</figure>` };
}

/**
 * The note's line under its title (§8): how many blocks, neutral unless one failed (then how many), with links
 * to the note's zip and to its entry in the site's report.
 */
export function renderNoteSummary(results: SnippetResult[], opts: { language?: string; zip?: boolean; reportHref?: string } = {}): string {
  if (!results.length) return "";
  const m = snippetMessages(opts.language);
  const failed = results.filter((r) => r.status === "failed").length;
  const count = results.length === 1 ? m.blocksOne : m.blocks.replace("%d", String(results.length));
  const parts = [escapeHtml(count)];
  if (failed) parts.push(`<span class="snippets-summary__failed">${escapeHtml(m.status.failed)} × ${failed}</span>`);
  if (opts.zip) parts.push(`<a href="snippets/snippets.zip" download>${escapeHtml(m.zip)}</a>`);
  if (opts.reportHref) parts.push(`<a href="${escapeHtml(opts.reportHref)}">${escapeHtml(m.report)}</a>`);
  return `<p class="snippets-summary snippets-summary--${failed ? "bad" : "neutral"}">${parts.join(" · ")}</p>`;
}

// ---------------------------------------------------------------------------------------------
// files next to the page

export interface SnippetFileOut {
  /** Path relative to `<post URL>snippets/`. */
  path: string;
  content: string | Uint8Array;
}

/** What a reader downloads for a block: the source; for a transcript its commands; for a REPL its code. */
export function downloadText(s: Snippet): string {
  if (s.kind === "transcript") return parseTranscript(s.text, s.contentLine).map((c) => c.cmd).join("\n") + "\n";
  if (s.kind === "repl") return parseRepl(s.text, s.contentLine).map((e) => e.source).join("");
  return s.text;
}

/** The download name of each block that gets a file (not output blocks), by the block's index; names are unique. */
export function snippetFileNames(snippets: Snippet[]): Map<number, string> {
  const names = new Map<number, string>();
  const used = new Set<string>();
  for (const s of snippets) {
    if (s.kind === "output") continue;
    let name = snippetFileName(s, snippets.length);
    if (used.has(name)) {
      const dot = name.lastIndexOf(".");
      name = dot > 0 ? `${name.slice(0, dot)}-${s.index}${name.slice(dot)}` : `${name}-${s.index}`;
    }
    used.add(name);
    names.set(s.index, name);
  }
  return names;
}

/** The files of a note's `snippets/` folder: one per block, index.json, and a zip when there are several. */
export function snippetFiles(snippets: Snippet[], results: SnippetResult[] = [], names = snippetFileNames(snippets)): SnippetFileOut[] {
  const byIndex = new Map(results.map((r) => [r.index, r]));
  const blocks = snippets.filter((s) => s.kind !== "output");
  const files: SnippetFileOut[] = [];
  const manifest: unknown[] = [];
  for (const s of blocks) {
    const name = names.get(s.index)!;
    files.push({ path: name, content: downloadText(s) });
    const r = byIndex.get(s.index);
    manifest.push({
      ordinal: s.index,
      name,
      language: s.lang,
      kind: s.kind,
      status: r?.status ?? null,
      message: r?.message ?? null,
      line: s.line,
      hash: s.hash,
      duration_ms: r?.duration_ms ?? null,
      ...(s.output ? { output_ordinal: s.output.index } : {}),
      ...(r?.missing ? { missing: r.missing } : {}),
    });
  }
  if (blocks.length > 1) files.push({ path: "snippets.zip", content: makeZip(files.map((f) => ({ name: f.path, data: f.content }))) });
  files.push({ path: "index.json", content: JSON.stringify({ snippets: manifest }, null, 1) + "\n" });
  return files;
}
