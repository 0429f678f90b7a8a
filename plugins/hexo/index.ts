// Eleventy adapter of the Hexo plugin: reads the blog, builds the site model once per build, and registers
// the pages as virtual templates rendered with the site's layouts. All Hexo logic lives in the pure modules.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type UserConfig from "@11ty/eleventy/UserConfig";
import { PLUGINS_DIR, codeDigest, hashFolder } from "./code-digest.ts";
import { createMarkdown } from "../markdown/create-markdown.ts";
import { renderHighlighted } from "../markdown/highlight.ts";
import { blogMarkdownSetup, type HeadingIdsChoice } from "../markdown/renderer-config.ts";
import { inferHeadingIdStyle } from "../markdown/infer-heading-style.ts";
import { readPublishedSite, type PublishedSite } from "../checks/published-site.ts";
import { resolveHexoOptions, type HexoNotesOptions, type ResolvedHexoOptions } from "./options.ts";
import { defaultHexoConfig, parseHexoConfig } from "./config.ts";
import { readHexoBlog, readNotesFolder, type BlogFiles } from "./read.ts";
import { buildSite, type BuildSiteInput, type SiteModel } from "./site.ts";
import { createNoteRenderer } from "./render.ts";
import { frontMatterMemo } from "./front-matter-memo.ts";
import { createJsonCache, writeAtomically, type JsonCache } from "./json-cache.ts";
import { writeOutputFiles, type WriteOptions } from "./output-files.ts";
import { fileBodyStore, type BodyStore } from "./body-store.ts";
import { deepFreeze } from "./freeze.ts";
import { JOIN_EVENT, type JoinRequest, type NotesExtension } from "./extensions.ts";
import { urlFor, fullUrlFor } from "./permalink.ts";
import type { ParsedNote } from "./notes.ts";
import type { TagContext } from "./tags/types.ts";
import type { Diagnostic, HexoConfig } from "./types.ts";
import { pageTemplates } from "./templates.ts";
import { changedPagesOnly, pageDigests, type PageDigests } from "./incremental.ts";
import { PAGE_BYTES, pageBytes, pagesAsBytes } from "./page-bytes.ts";
import { pageStore, type PageStore } from "./page-store.ts";
import { RECORD_FILE, makeRecord, parseRecord, reusablePages, staleFiles, type OutputRecord } from "./output-record.ts";

export type { HexoNotesOptions } from "./options.ts";
export type { SiteModel } from "./site.ts";


/** Event emitted with the finished site model after every build's data step (the CLI prints its summary). */
export const SITE_EVENT = "verinotes.site";

/** Written into the output folder: each note page's source file and its links with lines, for `npm run check`. */
export const SOURCES_FILE = "verinotes-sources.json";

/** The folders Eleventy's `directories` holds (UserConfig types it as a bare object). */
interface EleventyDirectories {
  output: string;
  includes?: string;
  layouts?: string;
  data?: string;
}

const directoriesOf = (eleventyConfig: UserConfig) => eleventyConfig.directories as EleventyDirectories;

export default function hexoNotes(eleventyConfig: UserConfig, userOptions: HexoNotesOptions = {}): void {
  const options = resolveHexoOptions(userOptions);
  /** The model of the build under way; rebuilt at the start of each build. */
  let current: Promise<SiteModel> | undefined;
  /** What Eleventy renders this build: the model, or under `npm start` only its changed pages. */
  let pagesToRender: Promise<SiteModel> | undefined;
  // Extensions by name, in the order their plugins were added: each joins at the start of every build (JOIN_EVENT).
  const joined = new Map<string, NotesExtension>();
  const extensions = () => [...joined.values()];
  // Under `npm start`: the pages of the last build, and whether only notes changed since (then only the pages
  // that differ are rendered again; a layout or config change renders everything).
  let watching = false;
  let lastPages: PageDigests | undefined;
  let onlyNotesChanged = false;
  // A full build: what it will have written (the next build reads it back from the output folder).
  let record: OutputRecord | undefined;
  /** A full build with the caches kept: the rendered pages' store, and the pages this build renders (to keep them). */
  let pagesKept: { store: PageStore; rendered: PageDigests } | undefined;
  const templates = pageTemplates(options.layouts);
  /** Pages the virtual templates always write (404, feed, sitemap, robots), besides the model's pages. */
  const fixedFiles = templates.flatMap((t) => (typeof t.data.permalink === "string" ? [t.data.permalink] : []));

  // Under `npm start` only (a one-shot build would just hold them until it exits): parsed notes kept between builds,
  // so a rebuild parses only what changed; the digests of the generated files (snippet files) written, so a rebuild
  // does not even read back the unchanged ones; the render cache's entries, so a rebuild reads none from disk.
  const parsedNotes: ParsedNotesMemo = { context: "", notes: new Map() };
  const writtenFiles = new Map<string, string>();
  const renderCache = renderCacheOf(options);
  const modelForBuild = () =>
    (current ??= Promise.resolve().then(() =>
      loadSite(options, extensions(), { parsed: watching ? parsedNotes : undefined, renderCache }, (bodies = fileBodyStore())),
    ));
  /** How this build writes its generated files and copies (known once the previous build's record is read). */
  let writeOptions: WriteOptions | undefined;
  /** Where this build keeps the notes' HTML until Eleventy has printed the pages. */
  let bodies: BodyStore | undefined;

  /** Whether this build hands Eleventy this plugin's pages as UTF-8 bytes (page-bytes.ts). */
  let asBytes = false;

  eleventyConfig.on("eleventy.before", ({ runMode, outputMode }: { runMode?: string; outputMode?: string }) => {
    asBytes = pagesAsBytes({ runMode, outputMode, transforms: Object.keys(eleventyConfig.transforms ?? {}), delayedBundles: hasDelayedBundles(eleventyConfig) });
    current = undefined;
    pagesToRender = undefined;
    writeOptions = undefined;
    pagesKept = undefined;
    bodies?.close(); // a build that failed before its end
    bodies = undefined;
    watching = runMode === "serve" || runMode === "watch";
    renderCache?.keepInMemory(watching);
  });
  eleventyConfig.on("eleventy.beforeWatch", (changed: string[]) => {
    const notesDir = path.resolve(options.source.dir) + path.sep;
    onlyNotesChanged = changed.length > 0 && changed.every((file) => path.resolve(file).startsWith(notesDir));
  });
  const pagesForBuild = () =>
    (pagesToRender ??= modelForBuild().then(async (model) => {
      await eleventyConfig.emit(SITE_EVENT, model);
      const pages = pageDigests(model);
      const out = directoriesOf(eleventyConfig).output;
      if (!watching) {
        const context = buildContext(eleventyConfig, options);
        const previous = parseRecord(readIfExists(path.join(out, RECORD_FILE)));
        const files = [...fixedFiles, SOURCES_FILE, ...pages.keys(), ...model.copies.map((c) => c.to), ...model.files.map((f) => f.to)];
        record = makeRecord(context, pages, files);
        // What the last build wrote and this one will not goes now, before anything (search) reads the folder.
        removeFiles(out, staleFiles(previous, record));
        // A generated file no earlier build wrote is written without reading it first.
        const before = new Set(previous?.files ?? []);
        writeOptions = { mayExist: (rel) => before.has(rel), store: generatedFilesStore(options) };
        const reusable = options.reuseOutput ? reusablePages(previous, context, (route) => fs.existsSync(path.join(out, route))) : undefined;
        if (!options.reuseOutput || options.cacheDir === false) return reusable ? changedPagesOnly(model, pages, reusable) : model;
        // A page the output folder lacks (a fresh one, as in CI) is written from the pages the cache keeps, when its
        // values and the layouts are the ones kept: Eleventy renders only the others.
        const store = pageStore(path.join(options.cacheDir, "pages"), context);
        const present: PageDigests = reusable ?? new Map();
        const rendered: PageDigests = new Map();
        for (const [route, digest] of pages) {
          if (present.get(route) === digest) store.hold(route, digest);
          else if (store.restore(route, digest, path.join(out, route))) present.set(route, digest);
          else rendered.set(route, digest);
        }
        pagesKept = { store, rendered };
        return changedPagesOnly(model, pages, present);
      }
      const previous = onlyNotesChanged ? lastPages : undefined;
      lastPages = pages;
      onlyNotesChanged = false;
      return previous ? changedPagesOnly(model, pages, previous) : model;
    }));
  eleventyConfig.addGlobalData("hexo", () => pagesForBuild().then(deepFreeze));
  eleventyConfig.addWatchTarget(options.source.dir);
  // The notes are this plugin's pages: in a site whose input folder holds them, Eleventy must not render them again.
  const notes = path.relative(process.cwd(), path.resolve(options.source.dir, options.source.kind === "hexo" ? "source" : ""));
  if (notes && !notes.startsWith("..") && !path.isAbsolute(notes)) eleventyConfig.ignores.add(`${notes}/**`);
  for (const t of templates) eleventyConfig.addTemplate(t.path, t.content, t.data);
  // Only this plugin's pages: other templates' pages may be read as text by their own plugins.
  const ownTemplates = new Set(templates.map((t) => path.normalize(t.path)));
  const isOwnPage = (inputPath: unknown) => typeof inputPath === "string" && [...ownTemplates].some((t) => path.normalize(inputPath).endsWith(t));
  eleventyConfig.addTransform(PAGE_BYTES, function (this: { inputPath?: string }, content: unknown) {
    return asBytes && isOwnPage(this.inputPath) ? pageBytes(content) : content;
  });

  eleventyConfig.on("eleventy.after", async ({ directories, results }: { directories?: { output: string }; results?: { outputPath?: unknown; content?: unknown }[] }) => {
    const model = await modelForBuild();
    const out = directories?.output ?? directoriesOf(eleventyConfig).output;
    writeGenerated(model, out, writeOptions ?? { mayExist: () => true, store: generatedFilesStore(options), ...(watching ? { written: writtenFiles } : {}) });
    if (pagesKept) {
      // the pages as Eleventy wrote them, from its results: nothing is read back from the folder
      for (const page of results ?? []) {
        const route = typeof page.outputPath === "string" ? path.relative(out, page.outputPath).split(path.sep).join("/") : "";
        const digest = pagesKept.rendered.get(route);
        if (digest !== undefined && (typeof page.content === "string" || page.content instanceof Uint8Array)) pagesKept.store.keep(route, digest, page.content);
      }
      pagesKept.store.save();
    }
    await renderCache?.flush({ compact: !watching });
    bodies?.close(); // every page is written
    bodies = undefined;
    // Recorded only once everything is written: a build that failed half-way leaves the old record, and the next
    // build renders every page whose digest is not the recorded one.
    if (!watching && record) writeAtomically(path.join(out, RECORD_FILE), JSON.stringify(record));
  });

  // Other plugins (snippets, remote images) join the same parse at the start of each build, whatever their order.
  eleventyConfig.on(JOIN_EVENT, ({ extension, taken }: JoinRequest) => {
    joined.set(extension.name, extension);
    taken();
  });
}

/** Whether one of Eleventy's bundles (its bundle plugin, `getBundle`) is delayed: see page-bytes.ts. */
function hasDelayedBundles(eleventyConfig: UserConfig): boolean {
  const managers = (eleventyConfig as { getBundleManagers?: () => Record<string, { isDelayed?: () => boolean }> }).getBundleManagers?.() ?? {};
  return Object.values(managers).some((m) => typeof m.isDelayed === "function" && m.isDelayed());
}

/** Parsed notes by file and text, valid for one parse context (the config, the timezone, "now"). */
export interface ParsedNotesMemo {
  context: string;
  notes: NonNullable<BuildSiteInput["parsedBefore"]>;
}

/** What a long-lived process (`npm start`) keeps between builds; every build without it does the full work. */
export interface BuildMemory {
  /** Absent: every note is parsed (a one-shot build). */
  parsed?: ParsedNotesMemo;
  renderCache: JsonCache | undefined;
}

/** The render cache of these options (none when caching is off). */
function renderCacheOf(options: ResolvedHexoOptions): JsonCache | undefined {
  return options.cacheDir === false ? undefined : createJsonCache(options.cacheDir);
}

/** Reads the blog and builds the site model: the whole pipeline, without Eleventy. */
export async function loadSite(
  options: ResolvedHexoOptions,
  extensions: NotesExtension[] = [],
  memory?: BuildMemory,
  /** Where the notes' HTML is kept until the pages print it (default: in memory). */
  bodies?: BodyStore,
): Promise<SiteModel> {
  const { blog, config } = readBlog(options);
  const renderCache = memory ? memory.renderCache : renderCacheOf(options);
  const memo = memory?.parsed;
  const parseContext = JSON.stringify([config, options.permalinkTimezone, options.now]);
  if (memo && memo.context !== parseContext) {
    memo.context = parseContext;
    memo.notes.clear();
  }
  let headingIds: HeadingIdsChoice | undefined;
  const pluginsDigest = codeDigest([PLUGINS_DIR]);
  const model = await buildSite({
    extensions,
    blog,
    config,
    parse: { config, permalinkTimezone: options.permalinkTimezone, now: options.now, ...(renderCache ? { frontMatter: frontMatterMemo(renderCache, pluginsDigest) } : {}) },
    parsedBefore: memo?.notes,
    bodies,
    makeRenderer: (notes, assetsOf) => {
      // The renderer the published site had (its options, its heading ids), known once the notes are read.
      const setup = blogMarkdownSetup({
        renderers: config.renderers,
        dependencies: blogDependencies(options.source.dir),
        site: config,
        notes: notes.map((n) => n.body),
        headingIds: options.headingIds,
        // Reading every heading of a big blog takes a while: the answer is kept with the renders, by the notes' text.
        infer: (texts, inferOptions) => {
          const key = crypto.createHash("sha256").update(`heading-style\0${JSON.stringify(inferOptions)}\0${texts.join("\0")}`).digest("hex");
          const known = renderCache?.get<ReturnType<typeof inferHeadingIdStyle>>(key);
          if (known) return known;
          const evidence = inferHeadingIdStyle(texts, inferOptions);
          renderCache?.set(key, evidence);
          return evidence;
        },
      });
      headingIds = setup.headingIds;
      const kept = options.keepAnchorsFrom ? keptIdsBySource(readPublishedSite(options.keepAnchorsFrom), notes) : new Map<string, string[]>();
      const md = createMarkdown({
        ...setup.options,
        keptHeadingIds: (env) => kept.get(String(env.file)),
        // Post-asset images resolve through the note's own lookups (render.ts puts `resolveImage` on the env).
        resolveImageSrc: (src, env) => (env as { resolveImage?: (s: string) => string | undefined }).resolveImage?.(src) ?? src,
      });
      for (const ext of extensions) ext.setupMarkdown?.(md);
      const findPost = postFinder(notes, config);
      return createNoteRenderer({
        md,
        tagContextFor: (note) => tagContext(note, findPost, assetsOf(note), config, blog, md),
        extensions,
        cache: renderCache,
        language: config.language,
        cacheSalt: [pluginsDigest, JSON.stringify(config), JSON.stringify(setup.options), JSON.stringify([...kept]), ...extensions.map((e) => `${e.name}@${e.version}`)].join("\0"),
      });
    },
  });
  if (headingIds) model.extensions[HEADING_IDS_KEY] = headingIds;
  renderCache?.forgetUnused();
  if (!memory) await renderCache?.flush(); // a cache of its own: its entries readable by the next build
  return model;
}

/** Where the site model holds the heading-id choice (the CLI prints it in the summary). */
export const HEADING_IDS_KEY = "headingIds";

/** The blog's package.json dependency names (what Hexo loads as plugins); undefined without one. */
function blogDependencies(dir: string): string[] | undefined {
  const text = readIfExists(path.join(dir, "package.json"));
  if (text === undefined) return undefined;
  try {
    const pkg = JSON.parse(text) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
    return [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})];
  } catch {
    return undefined;
  }
}

/** The published site's heading ids of each note's page, by the note's source (what render.ts puts in `env.file`). */
function keptIdsBySource(published: PublishedSite, notes: ParsedNote[]): Map<string, string[]> {
  const kept = new Map<string, string[]>();
  for (const note of notes) {
    const ids = published.headingIds.get(note.path);
    if (ids?.length) kept.set(note.source, ids);
  }
  return kept;
}

export function readBlog(options: ResolvedHexoOptions): { blog: BlogFiles; config: HexoConfig } {
  const dir = options.source.dir;
  const configFile = path.join(dir, "_config.yml");
  const diagnostics: Diagnostic[] = [];
  let config = defaultHexoConfig();
  if (fs.existsSync(configFile)) {
    const parsed = parseHexoConfig(fs.readFileSync(configFile, "utf8"), path.relative(process.cwd(), configFile));
    config = parsed.config;
    diagnostics.push(...parsed.diagnostics);
  }
  config = { ...config, ...options.config };
  const blog =
    options.source.kind === "hexo" ? readHexoBlog(dir, { postAssetFolder: config.post_asset_folder }) : readNotesFolder(dir);
  blog.diagnostics.unshift(...diagnostics);
  return { blog, config };
}

/** post_link / post_path lookup: by slug first, then by title, as Hexo's `Post.findOne` does (§10.8). */
function postFinder(notes: ParsedNote[], config: HexoConfig): TagContext["findPost"] {
  const bySlug = new Map<string, ParsedNote>();
  const byTitle = new Map<string, ParsedNote>();
  for (const n of notes) {
    if (n.kind !== "post") continue;
    if (!bySlug.has(n.slug)) bySlug.set(n.slug, n);
    if (!byTitle.has(n.title)) byTitle.set(n.title, n);
  }
  return (key) => {
    const target = bySlug.get(key) ?? byTitle.get(key);
    return target ? { title: target.title, url: urlFor(target.path, config), slug: target.slug } : undefined;
  };
}

function tagContext(
  note: ParsedNote,
  findPost: TagContext["findPost"],
  assets: Map<string, string>,
  config: HexoConfig,
  blog: BlogFiles,
  md: ReturnType<typeof createMarkdown>,
): TagContext {
  return {
    file: note.source,
    renderMarkdown: (text) => md.render(text),
    findPost,
    assetUrl: (name) => assets.get(name),
    urlFor: (p) => urlFor(p, config),
    fullUrlFor: (p) => fullUrlFor(p, config),
    readCodeFile: (rel) => {
      const base = path.resolve(blog.sourceDir, config.code_dir);
      const file = path.resolve(base, rel);
      if (!file.startsWith(base + path.sep) || !fs.existsSync(file)) return undefined;
      return fs.readFileSync(file, "utf8");
    },
    highlight: (code, lang) => renderHighlighted(code, lang),
  };
}

/**
 * Digest of what every page depends on besides its own values: the layouts, includes and data folders, global
 * data that is not a function, the layout names, and every plugin's code.
 */
function buildContext(eleventyConfig: UserConfig, options: ResolvedHexoOptions): string {
  const hash = crypto.createHash("sha256").update(`${JSON.stringify(options.layouts)}\0`);
  const dirs = directoriesOf(eleventyConfig);
  const folders = [dirs.includes, dirs.layouts, dirs.data].filter((d): d is string => !!d).map((d) => path.resolve(d));
  for (const dir of [...new Set(folders), PLUGINS_DIR]) hashFolder(hash, dir);
  const data = Object.entries(eleventyConfig.globalData ?? {}).filter(([, v]) => typeof v !== "function");
  hash.update(JSON.stringify(data));
  return hash.digest("hex").slice(0, 32);
}

function readIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

/** Removes files a previous build wrote, and the folders they leave empty (never the output folder itself). */
function removeFiles(outputDir: string, files: string[]): void {
  const root = path.resolve(outputDir);
  for (const rel of files) {
    const file = path.resolve(root, rel);
    if (!file.startsWith(root + path.sep)) continue;
    fs.rmSync(file, { force: true });
    for (let dir = path.dirname(file); dir.startsWith(root + path.sep); dir = path.dirname(dir)) {
      try {
        fs.rmdirSync(dir);
      } catch {
        break; // not empty
      }
    }
  }
}

/** Where generated files are kept to be linked into the output (output-files.ts): beside the render cache. */
function generatedFilesStore(options: ResolvedHexoOptions): string | undefined {
  return options.cacheDir === false ? undefined : path.join(options.cacheDir, "files");
}

/** Static files, post assets, files made by extensions, and the link sources (`npm run check`). */
function writeGenerated(model: SiteModel, outputDir: string, options: WriteOptions): void {
  const sources = { to: SOURCES_FILE, content: JSON.stringify({ pages: model.sources }) };
  return writeOutputFiles(outputDir, { copies: model.copies, files: [sources, ...model.files] }, options);
}
