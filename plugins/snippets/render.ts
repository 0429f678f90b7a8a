// What a page shows around each code block (§8): caption, status badge (message and diff readable
// without JavaScript), copy button and download link; the note's one-line summary; the files written
// next to the page (`<post URL>snippets/…`, index.json, a zip). Pure: values in, strings/bytes out.
import { parseRepl, parseTranscript } from "./extract.ts";
import { noteSummaryLine } from "./report.ts";
import type { Snippet, SnippetResult, Status } from "./types.ts";
import { snippetFileName } from "./names.ts";
import { makeZip } from "./zip.ts";

export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

const BADGE: Record<Status, string> = {
  passed: "✓ passed",
  file: "✓ file",
  failed: "✗ failed",
  warning: "⚠ does not run as-is",
  invalid: "⚠ invalid",
  "missing-deps": "needs",
  unresolved: "? unresolved",
  checked: "✓ checked",
  extracted: "extracted",
  skipped: "skipped",
};

export function badgeText(result: Pick<SnippetResult, "status" | "missing">): string {
  if (result.status === "missing-deps") return `needs ${(result.missing ?? []).join(", ") || "dependencies"}`;
  return BADGE[result.status];
}

export interface DecorationOptions {
  /** URL of the snippet file, relative to the page (default `snippets/<name>`). */
  downloadHref?: string;
  /** id of the element that holds the code, for the copy button (default `snippet-<index>-code`). */
  codeId?: string;
}

export interface Decorations {
  /** Opening HTML, to put before the highlighted `<pre>`. */
  before: string;
  /** Closing HTML, to put after it. */
  after: string;
  /** The block's anchor id (`snippet-3`), for links from the report page. */
  id: string;
}

/**
 * The HTML around one highlighted block. `result` may be absent (not verified, e.g. a draft build):
 * then only the caption, copy button and download link are shown.
 */
export function renderSnippetDecorations(snippet: Snippet, result: SnippetResult | undefined, opts: DecorationOptions = {}): Decorations {
  const id = `snippet-${snippet.index}`;
  const codeId = opts.codeId ?? `${id}-code`;
  if (snippet.kind === "output") {
    const status = result?.status;
    return {
      id,
      before:
        `<figure class="snippet snippet--output${status ? ` snippet--${status}` : ""}" id="${id}" data-snippet="${snippet.index}">` +
        `<figcaption class="snippet__bar"><span class="snippet__name">expected output of <a href="#snippet-${snippet.outputOf}">block ${snippet.outputOf}</a></span></figcaption>`,
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
    parts.push(
      `<span class="snippet__badge snippet__badge--${result.status}" title="${escapeHtml(result.message)}">${escapeHtml(badgeText(result))}</span>`,
    );
  }
  parts.push(`<a class="snippet__download" href="${escapeHtml(href)}" download="${escapeHtml(name)}">download</a>`);
  parts.push(`<button type="button" class="snippet__copy" data-copy="${escapeHtml(codeId)}" hidden>copy</button>`);
  parts.push(`</figcaption>`);
  const before = parts.join("");
  let after = "";
  if (result && result.message && !["passed", "file", "checked", "extracted", "skipped"].includes(result.status)) {
    const msg = `<p class="snippet__message">${escapeHtml(result.message)}</p>`;
    after = result.diff
      ? `<details class="snippet__details"${result.status === "failed" ? " open" : ""}><summary>${escapeHtml(result.message)}</summary><pre class="snippet__diff">${escapeHtml(result.diff)}</pre></details>`
      : msg;
  } else if (result?.file) {
    after = `<p class="snippet__message">${escapeHtml(result.message)}</p>`;
  }
  return { id, before, after: `${after}</figure>` };
}

/** "7 snippets: 5 passed, 1 failed, 1 needs torch" as HTML. */
export function renderNoteSummary(results: SnippetResult[]): string {
  if (!results.length) return "";
  const worst = results.some((r) => r.status === "failed") ? "failed" : results.some((r) => r.status === "warning" || r.status === "invalid") ? "warning" : "passed";
  return `<p class="snippets-summary snippets-summary--${worst}"><a href="snippets/index.json">${escapeHtml(noteSummaryLine(results))}</a></p>`;
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
