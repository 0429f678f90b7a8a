// The blog's Markdown renderer, as its `_config.yml` and `package.json` name and configure it, turned into the
// options of createMarkdown: hexo-renderer-marked's `marked:`, hexo-renderer-markdown-it's `markdown:`,
// hexo-renderer-markdown-it-plus's `markdown_it_plus:`. Defaults are each renderer's own.

import { isHeadingIdStyle, type HeadingIdStyle, type HeadingStyleSettings } from "./heading-styles.ts";
import { inferHeadingIdStyle, type HeadingStyleEvidence } from "./infer-heading-style.ts";
import type { ExternalLinkOptions, HeadingIdCase, MarkdownOptions } from "./types.ts";

/** The renderer sections of `_config.yml` as written (absent when not written). */
export interface RendererSections {
  marked?: Record<string, unknown>;
  /** hexo-renderer-markdown-it; a string is its old form, a preset name. */
  markdown?: Record<string, unknown> | string;
  markdown_it_plus?: Record<string, unknown>;
  /** Hexo's own `external_link` filter (Hexo 8 default: on for the whole site). */
  external_link?: Record<string, unknown> | boolean;
}

export interface RendererChoice {
  renderer: "marked" | "markdown-it" | "markdown-it-plus" | "pandoc";
  /** Its heading id style. */
  style: HeadingIdStyle;
  /** What said so, for the build summary. */
  because: string;
}

const rendererPackages: [string, RendererChoice["renderer"], HeadingIdStyle][] = [
  ["hexo-renderer-markdown-it-plus", "markdown-it-plus", "markdown-it-plus"],
  ["hexo-renderer-markdown-it", "markdown-it", "markdown-it"],
  ["hexo-renderer-pandoc", "pandoc", "pandoc"],
  ["hexo-renderer-marked", "marked", "hexo"],
];

/**
 * The renderer the blog says it uses: its package.json dependencies first (what Hexo loads), then a renderer's
 * section in `_config.yml`. Undefined when neither says (a bare folder of notes, a blog without package.json).
 */
export function declaredRenderer(sections: RendererSections, dependencies: readonly string[] | undefined): RendererChoice | undefined {
  for (const [pkg, renderer, style] of rendererPackages) {
    if (!dependencies?.includes(pkg)) continue;
    const anchorPlugin = renderer === "markdown-it" && pluginNames(sections.markdown).includes("markdown-it-anchor");
    return anchorPlugin
      ? { renderer, style: "markdown-it-anchor", because: `package.json depends on ${pkg}, with markdown-it-anchor in markdown.plugins` }
      : { renderer, style, because: `package.json depends on ${pkg}` };
  }
  if (isRecord(sections.markdown_it_plus)) return { renderer: "markdown-it-plus", style: "markdown-it-plus", because: "_config.yml has markdown_it_plus:" };
  if (sections.markdown !== undefined && sections.markdown !== null) return { renderer: "markdown-it", style: "markdown-it", because: "_config.yml has markdown:" };
  if (isRecord(sections.marked)) return { renderer: "marked", style: "hexo", because: "_config.yml has marked:" };
  return undefined;
}

/**
 * createMarkdown options from the renderer's settings, as that renderer reads them. `siteUrl` is the config's
 * `url` (its host is not external) and `root`. Only what changes the HTML of a note is mapped; see README "Move from Hexo".
 */
export function rendererMarkdownOptions(
  sections: RendererSections,
  renderer: RendererChoice["renderer"],
  site: { url: string; root: string },
): MarkdownOptions {
  const siteUrl = site.url;
  const options: MarkdownOptions = {};
  if (renderer === "marked" || renderer === "pandoc") {
    const m = isRecord(sections.marked) ? sections.marked : {};
    const gfm = flag(m.gfm, true);
    options.typographer = flag(m.smartypants, true);
    options.breaks = gfm && flag(m.breaks, true); // marked: breaks needs gfm
    options.linkify = gfm && flag(m.autolink, true);
    options.gfm = gfm;
    options.headingIds = flag(m.headerIds, true);
    options.headingIdCase = idCase(m.modifyAnchors);
    // prependRoot: `/img/a.png` is written as the site's `/blog/img/a.png`.
    if (flag(m.prependRoot, true)) options.imageRoot = site.root;
    options.externalLinks = externalLinks(m.external_link, siteUrl) ?? hexoExternalLinks(sections.external_link, siteUrl);
  } else {
    const settings = renderer === "markdown-it-plus" ? (isRecord(sections.markdown_it_plus) ? sections.markdown_it_plus : {}) : markdownItRender(sections.markdown);
    // hexo-renderer-markdown-it-plus tests `== true || == undefined`; hexo-renderer-markdown-it defaults them all on.
    options.html = flag(settings.html, true);
    options.breaks = flag(settings.breaks, true);
    options.linkify = flag(settings.linkify, true);
    options.typographer = flag(settings.typographer, true);
    if (typeof settings.quotes === "string" && Array.from(settings.quotes).length === 4) options.quotes = settings.quotes;
    if (renderer === "markdown-it") options.headingStyleSettings = markdownItAnchors(sections.markdown);
    options.externalLinks = hexoExternalLinks(sections.external_link, siteUrl);
  }
  return options;
}

/** The style a renderer's name stands for (`--heading-ids marked` is accepted for `hexo`). */
export function headingStyleNamed(name: string): HeadingIdStyle | undefined {
  if (name === "marked") return "hexo";
  return isHeadingIdStyle(name) ? name : undefined;
}

function markdownItRender(markdown: RendererSections["markdown"]): Record<string, unknown> {
  return isRecord(markdown) && isRecord(markdown.render) ? markdown.render : {};
}

function markdownItAnchors(markdown: RendererSections["markdown"]): HeadingStyleSettings {
  const anchors = isRecord(markdown) && isRecord(markdown.anchors) ? markdown.anchors : {};
  const settings: HeadingStyleSettings = { case: idCase(anchors.case) };
  if (typeof anchors.level === "number") settings.level = anchors.level;
  if (typeof anchors.collisionSuffix === "string") settings.collisionSuffix = anchors.collisionSuffix;
  if (typeof anchors.separator === "string") settings.separator = anchors.separator;
  return settings;
}

function pluginNames(markdown: RendererSections["markdown"]): string[] {
  const plugins = isRecord(markdown) && Array.isArray(markdown.plugins) ? markdown.plugins : [];
  return plugins.map((p) => (typeof p === "string" ? p : isRecord(p) && typeof p.name === "string" ? p.name : "")).filter(Boolean);
}

/** hexo-renderer-marked's `external_link: { enable, exclude, nofollow }`; undefined when not enabled there. */
function externalLinks(value: unknown, siteUrl: string): ExternalLinkOptions | undefined {
  if (!isRecord(value) || !flag(value.enable, false)) return undefined;
  return { exclude: hostList(value.exclude), nofollow: flag(value.nofollow, false), siteHost: hostOf(siteUrl) };
}

/** Hexo's own filter: `external_link: { enable, field, exclude }` (or `true`/`false`); off unless written on. */
function hexoExternalLinks(value: unknown, siteUrl: string): ExternalLinkOptions | false {
  const enabled = value === true || (isRecord(value) && flag(value.enable, true));
  if (!enabled) return false;
  return { exclude: isRecord(value) ? hostList(value.exclude) : [], nofollow: false, siteHost: hostOf(siteUrl) };
}

function hostList(value: unknown): string[] {
  const list = Array.isArray(value) ? value : typeof value === "string" && value ? [value] : [];
  return list.map((h) => String(h).toLowerCase());
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}

function idCase(value: unknown): HeadingIdCase {
  return value === 1 || value === 2 ? value : 0;
}

function flag(value: unknown, fallback: boolean): boolean {
  return value === undefined || value === null ? fallback : Boolean(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The heading ids a build gives, and why: printed in the build summary. */
export interface HeadingIdsChoice {
  style: HeadingIdStyle;
  /** Styles whose differing ids are kept as alias anchors. */
  aliasStyles: HeadingIdStyle[];
  /** `configured` (--heading-ids / the plugin option), `declared` (package.json, _config.yml), `inferred`, `default`. */
  how: "configured" | "declared" | "inferred" | "default";
  because: string;
  /** With `inferred`: the notes' `#anchor` links and how many each style resolves. */
  evidence?: HeadingStyleEvidence;
}

export interface BlogMarkdownInput {
  /** `_config.yml`'s renderer sections. */
  renderers: RendererSections;
  /** Names of the blog's package.json dependencies; undefined without one. */
  dependencies?: readonly string[];
  site: { url: string; root: string };
  /** The notes' Markdown, for inferring the style when nothing says it. */
  notes: readonly string[];
  /** A style asked for by the user (`auto` or absent: declared, else inferred). */
  headingIds?: HeadingIdStyle | "auto";
  /** The inference (default inferHeadingIdStyle); a caller may remember its answers between builds. */
  infer?: typeof inferHeadingIdStyle;
}

/** The Markdown options and heading-id choice for a blog: what its renderer would have made. */
export function blogMarkdownSetup(input: BlogMarkdownInput): { options: MarkdownOptions; headingIds: HeadingIdsChoice } {
  const declared = declaredRenderer(input.renderers, input.dependencies);
  const options = rendererMarkdownOptions(input.renderers, declared?.renderer ?? "marked", input.site);
  let choice: HeadingIdsChoice;
  if (input.headingIds && input.headingIds !== "auto") {
    choice = { style: input.headingIds, aliasStyles: ["hexo"], how: "configured", because: "asked for" };
  } else if (declared) {
    choice = { style: declared.style, aliasStyles: ["hexo"], how: "declared", because: declared.because };
  } else {
    const infer = input.infer ?? inferHeadingIdStyle;
    const evidence = infer(input.notes, { siteHost: hostOf(input.site.url), settings: options.headingStyleSettings });
    choice = evidence.links === 0
      ? { style: "hexo", aliasStyles: [], how: "default", because: "Hexo's default renderer (no #anchor links in the notes to tell otherwise)" }
      : {
          style: evidence.style,
          aliasStyles: ["hexo", ...evidence.alsoResolving.filter((s) => s !== "hexo")],
          how: "inferred",
          because: `${evidence.resolved[evidence.style]} of the notes' ${evidence.links} #anchor links resolve with it (Hexo's default: ${evidence.resolved.hexo})`,
          evidence,
        };
  }
  choice.aliasStyles = choice.aliasStyles.filter((s) => s !== choice.style);
  return { options: { ...options, headingIdStyle: choice.style, headingAliasStyles: choice.aliasStyles }, headingIds: choice };
}

/** One line for the build summary. */
export function headingIdsLine(choice: HeadingIdsChoice): string {
  const aliases = choice.aliasStyles.length ? `; ${choice.aliasStyles.join(", ")} ids kept as aliases where they differ` : "";
  return `Heading ids: ${choice.style} style, ${choice.how} (${choice.because})${aliases}`;
}
