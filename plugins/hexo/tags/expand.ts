// Replace Hexo tags in a note's Markdown before it is parsed (§9–§10, Verinotes' rules).
//
// - Known inline and block tags become a placeholder HTML comment `<!--vn-tag:N-->`; the HTML is in
//   `fragments[N]` and goes in with `fillTagPlaceholders` after the Markdown is rendered. A placeholder
//   alone on its line is an HTML block (no `<p>` around block output); inside text it stays inline.
// - `post_path` / `asset_path` put their URL straight into the Markdown (so `![x]({% asset_path a.png %})` works).
// - `{% codeblock %}` / `{% code %}` alone on their lines become an ordinary fenced block (see codeblock.ts).
// - `{% raw %}…{% endraw %}` leaves its text verbatim in the Markdown, tags and `{{ }}` included.
// - Unknown tags (theme tags) are a warning; their tag lines are dropped and the body stays as Markdown.
//   Nunjucks statements (`{% if %}`, `{% for %}` …) are not tags here: the scanner leaves them as text.
//   An unclosed block tag is an error. Nothing else is ever evaluated.
// The result has exactly as many lines as the input, so Markdown line numbers are file line numbers.
import type { Diagnostic, ExpandResult, TagContext, TagHandler, TagOutput, TagProblem } from "./types.ts";
import { continuationPrefix, isAloneOnLine, isContainerPrefix } from "./lines.ts";
import { type TagNode, type TagToken, scanTags } from "./scan.ts";
import { classifyTag, getTagHandler } from "./registry.ts";
import { stripIndent } from "./util.ts";

const newlines = (s: string): string => "\n".repeat(s.split("\n").length - 1);

/** Hexo's treatment of a block body: strip the common indentation, then one leading and one trailing newline. */
export function trimTagBody(body: string): string {
  return stripIndent(body).replace(/^\n?|\n?$/g, "");
}

/** Put each placeholder's HTML in (also HTML-escaped placeholders, as Hexo restores them). */
export function fillTagPlaceholders(html: string, fragments: readonly string[]): string {
  if (!html.includes("vn-tag")) return html;
  const get = (n: string): string => fragments[Number(n)] ?? "";
  return html
    .replace(/<!--vn-tag:(\d+)(?:\n[^]*?)?-->|<vn-tag data-n="(\d+)"><\/vn-tag>/g, (_, a?: string, b?: string) => get(a ?? b ?? ""))
    .replace(/&lt;!--vn-tag:(\d+)(?:\n[^]*?)?--&gt;|&lt;vn-tag data-n=&quot;(\d+)&quot;&gt;&lt;\/vn-tag&gt;/g, (_, a?: string, b?: string) =>
      get(a ?? b ?? ""),
    );
}

/**
 * A placeholder for fragment `id` occupying the lines of [start, end) in `src`:
 * - alone on its line: `<!--vn-tag:N-->`, an HTML block (no `<p>` around block output, as in Hexo);
 * - first on a line that goes on with text: `<vn-tag data-n="N"></vn-tag>`, which does not start an HTML
 *   block, so the line stays a paragraph (Hexo would make the whole line raw HTML);
 * - inside text: `<!--vn-tag:N-->`, inline HTML.
 * A tag spanning k lines gives k lines: `<!--vn-tag:N` + `vn` filler lines (carrying the list / quote
 * prefix of the first line, so the containers go on) + `-->`.
 */
function placeholder(src: string, start: number, end: number, id: number): string {
  const k = src.slice(start, end).split("\n").length;
  const lineStart = src.lastIndexOf("\n", start - 1) + 1;
  const before = src.slice(lineStart, start);
  if (k === 1) {
    return isContainerPrefix(before) && !isAloneOnLine(src, start, end)
      ? `<vn-tag data-n="${id}"></vn-tag>`
      : `<!--vn-tag:${id}-->`;
  }
  const filler = "\n" + continuationPrefix(before) + "vn";
  return `<!--vn-tag:${id}` + filler.repeat(k - 1) + "-->";
}

/** Unclosed tags stay where they are; the tags that followed them come right after, in order. */
function flatten(nodes: readonly TagNode[]): TagNode[] {
  const out: TagNode[] = [];
  for (const n of nodes) {
    if (n.type === "unclosed" && n.children.length) {
      out.push({ ...n, children: [] }, ...flatten(n.children));
    } else out.push(n);
  }
  return out;
}

interface State {
  src: string;
  ctx: TagContext;
  fragments: string[];
  diagnostics: Diagnostic[];
}

function report(st: State, line: number, p: TagProblem): void {
  st.diagnostics.push({ severity: p.severity, file: st.ctx.file, line, message: p.message, hint: p.hint });
}

/** The Markdown of src[from, to) with the tags of `nodes` (inside that span) replaced. */
function rewrite(st: State, from: number, to: number, nodes: readonly TagNode[]): string {
  const parts: string[] = [];
  let pos = from;
  for (const n of flatten(nodes)) {
    if (n.start < pos || n.end > to) continue;
    parts.push(st.src.slice(pos, n.start), replace(st, n));
    pos = n.end;
  }
  parts.push(st.src.slice(pos, to));
  return parts.join("");
}

function describe(t: TagToken): string {
  return t.source.length > 80 ? t.source.slice(0, 77) + "…" : t.source;
}

function replace(st: State, n: TagNode): string {
  const { src, ctx } = st;
  const drop = (t: TagToken): string => newlines(t.source);

  if (n.type === "stray-end") {
    report(st, n.open.line, {
      severity: "warning",
      message: `${describe(n.open)} has no opening {% ${n.name} %}; dropped`,
    });
    return drop(n.open);
  }

  if (n.type === "unclosed") {
    report(st, n.open.line, {
      severity: "error",
      message: `{% ${n.name} %} is never closed: {% end${n.name} %} is missing`,
      hint: `Add {% end${n.name} %} after the ${n.class === "code" ? "code" : "text"} it encloses.`,
    });
    return drop(n.open);
  }

  const handler = getTagHandler(n.name);
  if (!handler || n.class === undefined) {
    report(st, n.open.line, {
      severity: "warning",
      message: `Unknown tag ${describe(n.open)} (not a Hexo built-in tag): the tag is dropped${n.close ? ", its content kept as Markdown" : ""}`,
      hint: "Theme tags (note, tabs, spoiler, …) have no Verinotes equivalent: rewrite the part in Markdown.",
    });
    if (!n.close) return drop(n.open);
    return drop(n.open) + rewrite(st, n.open.end, n.close.start, n.children) + drop(n.close);
  }

  if (n.class === "raw") {
    return drop(n.open) + src.slice(n.open.end, n.close!.start) + drop(n.close!);
  }

  if (n.class === "code") {
    const fence = codeFence(st, n, handler);
    if (fence !== undefined) return fence;
    const body = trimTagBody(unquote(st, n, src.slice(n.open.end, n.close!.start)));
    return emit(st, n, call(st, n, handler, body));
  }

  if (n.class === "block") {
    const body = trimTagBody(unquote(st, n, rewrite(st, n.open.end, n.close!.start, n.children)));
    const out = call(st, n, handler, body);
    if (out.kind === "html") out.value = fillTagPlaceholders(out.value, st.fragments);
    return emit(st, n, out);
  }

  return emit(st, n, call(st, n, handler, undefined));
}

/** A tag inside a block quote: its body lines carry the quote's `>` markers; take them off. */
function unquote(st: State, n: TagNode, body: string): string {
  const lineStart = st.src.lastIndexOf("\n", n.start - 1) + 1;
  const depth = (continuationPrefix(st.src.slice(lineStart, n.start)).match(/>/g) ?? []).length;
  if (!depth) return body;
  const marker = new RegExp(`^(?:[ \\t]*>[ \\t]?){0,${depth}}`);
  return body
    .split("\n")
    .map((l, i) => (i === 0 ? l : l.replace(marker, "")))
    .join("\n");
}

function call(st: State, n: TagNode, handler: TagHandler, body: string | undefined): TagOutput {
  try {
    const out = handler.render({ name: n.name, args: [...n.args], body, ctx: st.ctx });
    for (const p of out.problems ?? []) report(st, n.open.line, p);
    return { kind: out.kind, value: out.value };
  } catch (e) {
    report(st, n.open.line, {
      severity: "error",
      message: `${describe(n.open)} failed: ${e instanceof Error ? e.message : String(e)}`,
    });
    return { kind: "text", value: "" };
  }
}

function emit(st: State, n: TagNode, out: TagOutput): string {
  const span = st.src.slice(n.start, n.end);
  if (out.kind === "text") return out.value.replace(/\n/g, " ") + newlines(span);
  const id = st.fragments.push(out.value) - 1;
  return placeholder(st.src, n.start, n.end, id);
}

/**
 * `{% codeblock args %}` alone on its line … `{% endcodeblock %}` alone on its line → a fenced block with the
 * same number of lines. The body's common indentation beyond the tag's own is removed (Hexo strips it).
 */
function codeFence(st: State, n: TagNode, handler: TagHandler): string | undefined {
  const { src } = st;
  const open = n.open;
  const close = n.close!;
  if (!handler.fenceInfo) return undefined;
  if (!isAloneOnLine(src, open.start, open.end) || !isAloneOnLine(src, close.start, close.end)) return undefined;
  if (open.source.includes("\n") || close.source.includes("\n")) return undefined;
  const info = handler.fenceInfo(n.args);
  if (info === undefined) return undefined;

  const openLineStart = src.lastIndexOf("\n", open.start - 1) + 1;
  const openLineEnd = src.indexOf("\n", open.end);
  const closeLineStart = src.lastIndexOf("\n", close.start - 1) + 1;
  const before = src.slice(openLineStart, open.start);
  let lines = openLineEnd + 1 < closeLineStart ? src.slice(openLineEnd + 1, closeLineStart - 1).split("\n") : [];
  const hasBody = openLineEnd + 1 < closeLineStart;

  if (!before.includes(">")) {
    const base = continuationPrefix(before).length;
    const indents = lines.filter((l) => l.trim() !== "").map((l) => /^[ \t]*/.exec(l)![0].length);
    const min = indents.length ? Math.min(...indents) : 0;
    if (min > base) {
      const cut = min - base;
      lines = lines.map((l) => (l.trim() === "" ? l : l.slice(0, base) + l.slice(base + cut)));
    }
  }

  const ch = info.includes("`") ? "~" : "`";
  let longest = 0;
  for (const l of lines) {
    const m = new RegExp(`^[ \\t>]*(\\${ch}+)`).exec(l);
    if (m) longest = Math.max(longest, m[1].length);
  }
  const fence = ch.repeat(Math.max(3, longest + 1));
  const closeBefore = src.slice(closeLineStart, close.start);
  return (
    fence + (info ? info : "") + src.slice(open.end, openLineEnd).replace(/\S/g, "") + "\n" +
    (hasBody ? lines.join("\n") + "\n" : "") +
    closeBefore + fence
  );
}

/**
 * Replace the Hexo tags of a note body (see the file comment).
 * `bodyLine` is the 1-based file line where `body` starts; diagnostics carry file lines.
 */
export function expandTags(body: string, bodyLine: number, ctx: TagContext): ExpandResult {
  const nodes = scanTags(body, bodyLine, { classify: classifyTag });
  const st: State = { src: body, ctx, fragments: [], diagnostics: [] };
  if (!nodes.length) return { markdown: body, fragments: [], diagnostics: [] };
  const markdown = rewrite(st, 0, body.length, nodes);
  return { markdown, fragments: st.fragments, diagnostics: st.diagnostics };
}
