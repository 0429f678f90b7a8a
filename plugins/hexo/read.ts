// The I/O edge of the Hexo plugin: finds a blog's files the way Hexo's processors do (§1, §13) and reads
// them. Nothing here writes; the input folder is never modified.
import { isUtf8 } from "node:buffer";
import fs from "node:fs";
import path from "node:path";
import type { Diagnostic } from "./types.ts";

export type SourceKind = "post" | "draft" | "page" | "asset" | "static";

export interface SourceFile {
  kind: SourceKind;
  /** Path relative to the source folder with `/` separators, e.g. `_posts/lorem/hello.md`, `about/index.md`. */
  rel: string;
  abs: string;
  /** Decoded text for posts, drafts and pages (undefined when the file is not valid UTF-8). */
  text?: string;
  birthtime: Date;
  mtime: Date;
  /** A note whose text the caller's `readsText` said it knows: `text` is undefined without the file being read. */
  unread?: true;
}

export interface ReadOptions {
  /**
   * Whether to read a note (post, draft or page) whose stat is this (default: every note is read). `npm run verify`
   * skips the notes its stat index knows unchanged (scripts/note-index.ts).
   */
  readsText?: (note: { kind: SourceKind; rel: string; abs: string }, stat: fs.Stats) => boolean;
}

export interface BlogFiles {
  /** The folder `rel` paths are relative to (`<blog>/source` for a Hexo blog, the folder itself otherwise). */
  sourceDir: string;
  files: SourceFile[];
  diagnostics: Diagnostic[];
}

const markdownExtensions = new Set([".md", ".markdown", ".mkd", ".mkdn", ".mdwn", ".mdtxt", ".mdtext"]);

/** Hexo skips temp files (`x~`, `x%`) and any path segment starting with `_` or `.` (below `_posts`). */
const isHexoIgnored = (rel: string) => /(^|\/)[_.]/.test(rel) || /[~%]$/.test(rel);

export function readHexoBlog(blogDir: string, options: { postAssetFolder: boolean } & ReadOptions): BlogFiles {
  const sourceDir = path.join(blogDir, "source");
  const diagnostics: Diagnostic[] = [];
  if (!fs.existsSync(sourceDir)) {
    diagnostics.push({
      severity: "error",
      file: blogDir,
      message: "no source/ folder: this does not look like a Hexo blog",
      hint: "point --hexo at the folder that holds _config.yml and source/, or use --input for a plain folder of notes",
    });
    return { sourceDir, files: [], diagnostics };
  }
  const assetsOn = options.postAssetFolder;
  const files: SourceFile[] = [];
  const prefix = joinPrefix(sourceDir);
  for (const rel of walk(sourceDir)) {
    const kind = classifyHexoFile(rel, assetsOn);
    if (kind) files.push(readSource(prefix, rel, kind, diagnostics, options));
  }
  return { sourceDir, files, diagnostics };
}

/** A plain folder: every Markdown file is a post (`_drafts/` holds drafts); other files are copied as they are. */
export function readNotesFolder(dir: string, options: ReadOptions = {}): BlogFiles {
  const diagnostics: Diagnostic[] = [];
  if (!fs.existsSync(dir)) {
    diagnostics.push({ severity: "error", file: dir, message: "input folder not found", hint: "check the path given to --input" });
    return { sourceDir: dir, files: [], diagnostics };
  }
  const files: SourceFile[] = [];
  const prefix = joinPrefix(dir);
  for (const rel of walk(dir)) {
    if (rel === "_config.yml" || /(^|\/)\./.test(rel) || /[~%]$/.test(rel)) continue;
    const isMarkdown = markdownExtensions.has(path.extname(rel).toLowerCase());
    const kind: SourceKind = !isMarkdown ? "static" : rel.startsWith("_drafts/") ? "draft" : "post";
    files.push(readSource(prefix, rel, kind, diagnostics, options));
  }
  return { sourceDir: dir, files, diagnostics };
}

function classifyHexoFile(rel: string, assetsOn: boolean): SourceKind | undefined {
  const isMarkdown = markdownExtensions.has(path.extname(rel).toLowerCase());
  for (const [prefix, kind] of [["_posts/", "post"], ["_drafts/", "draft"]] as const) {
    if (!rel.startsWith(prefix)) continue;
    const inner = rel.slice(prefix.length);
    if (isHexoIgnored(inner)) return undefined;
    if (assetsOn) return path.extname(rel) === ".md" ? kind : "asset";
    return isMarkdown ? kind : undefined;
  }
  if (isHexoIgnored(rel)) return undefined;
  return isMarkdown ? "page" : "static";
}

/** Reads the file at `rel` below a folder whose joinPrefix is `prefix`. */
function readSource(prefix: string, rel: string, kind: SourceKind, diagnostics: Diagnostic[], options: ReadOptions): SourceFile {
  const abs = prefix + rel;
  const stat = fs.statSync(abs);
  const file: SourceFile = { kind, rel, abs, birthtime: stat.birthtime, mtime: stat.mtime };
  if (kind === "post" || kind === "draft" || kind === "page") {
    if (options.readsText && !options.readsText(file, stat)) {
      file.unread = true;
      return file;
    }
    const bytes = fs.readFileSync(abs);
    const text = decodeUtf8(bytes);
    if (text === undefined) {
      diagnostics.push({
        severity: "error",
        file: rel,
        line: firstBadLine(bytes),
        message: "the file is not valid UTF-8, so it was left out",
        hint: "convert it, e.g. `iconv -f GBK -t UTF-8 in.md > out.md`, and save notes as UTF-8",
      });
    } else file.text = text;
  }
  return file;
}

/** A note's text as the reading above decodes it (no byte-order mark), or undefined when it is not UTF-8. */
export function readNoteText(abs: string): string | undefined {
  return decodeUtf8(fs.readFileSync(abs));
}

/** The text of UTF-8 bytes without a byte-order mark (as TextDecoder gives it), or undefined when they are not UTF-8.
 * isUtf8 and toString are native: a fatal TextDecoder per note was a third of reading 4,000 notes. */
function decodeUtf8(bytes: Buffer): string | undefined {
  if (!isUtf8(bytes)) return undefined;
  const text = bytes.toString("utf8");
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The line of the first byte sequence that is not UTF-8, found by decoding growing prefixes line by line. */
function firstBadLine(bytes: Buffer): number {
  let line = 1;
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0x0a) {
      if (decodeUtf8(bytes.subarray(start, i)) === undefined) return line;
      line++;
      start = i + 1;
    }
  }
  return line;
}

/**
 * What path.join(root, rel) puts before a `rel` that walk gave (no empty, `.` or `..` segment): the root normalized
 * once per folder read, not once per file (4,000 joins were a fifth of listing 4,000 notes).
 */
function joinPrefix(root: string): string {
  return path.join(root, "x").slice(0, -1);
}

/**
 * Every file below `root` (relative, `/`-separated), folder by folder with each folder's entries sorted by name: the
 * notes' order everywhere after. node_modules is left out; symbolic links are neither followed nor listed; a folder
 * that cannot be read is skipped. A walk of its own: loading a glob library cost a warm `npm run verify` more than
 * listing 4,000 notes with it (issue 16).
 */
function walk(root: string): string[] {
  const files: string[] = [];
  // each folder's entries in name order, a folder's files where its name falls: paths in order segment by segment
  // (`a/b.md` before `a.md`), without splitting paths at every comparison
  const visit = (rel: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(rel ? path.join(root, rel) : root, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name === "node_modules") continue;
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isFile()) files.push(child);
      else if (entry.isDirectory()) visit(child);
    }
  };
  visit("");
  return files;
}
