// The Hexo plugin's options, typed and defaulted in one place.
import { isValidTimeZone } from "./dates.ts";
import type { HexoConfig } from "./types.ts";
import type { HeadingIdStyle } from "../markdown/heading-styles.ts";

export interface HexoNotesOptions {
  /** A Hexo blog folder: `_config.yml`, `source/_posts`, `source/_drafts`, pages and static files under `source/`. */
  hexo?: string;
  /** A plain folder of notes (every `.md` below it is a post), built with Hexo's defaults. */
  input?: string;
  /**
   * The timezone Hexo's machine had when it built the published site. Hexo formats the date parts of URLs
   * (`:year/:month/:day`) and archive groups in the machine's timezone, not the site's (§4.1); CI runners are UTC.
   */
  permalinkTimezone?: string;
  /** Settings that override the blog's `_config.yml`. */
  config?: Partial<HexoConfig>;
  /** Layout file names (in the Eleventy layouts folder) for each kind of page. */
  layouts?: Partial<HexoLayouts>;
  /** Folder for the render cache (and `files/`, the generated files linked into the output); `false` turns caching off. */
  cacheDir?: string | false;
  /**
   * Render only the pages whose values changed since the last build into the same output folder (default false);
   * with `cacheDir`, a page the folder lacks (a fresh one, as in CI) is copied from the pages the cache keeps.
   * Safe when the layouts print only what the plugin gives them (`hexo`, `site`, `t`, …) and global data that is
   * not a function: the layouts folder, that data and this plugin's code are part of the check, nothing else is.
   */
  reuseOutput?: boolean;
  /** The build's "now", for `future: false` (default: the build's start). */
  now?: Date;
  /**
   * Whose rule makes the heading ids: `auto` (default: the renderer the blog's package.json or _config.yml names,
   * else the style its notes' own `#anchor` links resolve best with) or a style of plugins/markdown/heading-styles.ts.
   */
  headingIds?: HeadingIdStyle | "auto";
  /** A published site's folder: its heading ids that differ from the new ones become alias anchors. */
  keepAnchorsFrom?: string;
  /** Called with each problem found, as it is found (the CLI prints them; default: collect only). */
  onDiagnostic?: (d: import("./types.ts").Diagnostic) => void;
}

export interface HexoLayouts {
  post: string;
  page: string;
  list: string;
  terms: string;
  notFound: string;
}

export interface ResolvedHexoOptions {
  source: { kind: "hexo" | "folder"; dir: string };
  permalinkTimezone: string;
  config: Partial<HexoConfig>;
  layouts: HexoLayouts;
  cacheDir: string | false;
  reuseOutput: boolean;
  now: Date;
  headingIds: HeadingIdStyle | "auto";
  keepAnchorsFrom?: string;
  onDiagnostic: (d: import("./types.ts").Diagnostic) => void;
}

export const defaultLayouts: HexoLayouts = {
  post: "post.njk",
  page: "page.njk",
  list: "list.njk",
  terms: "terms.njk",
  notFound: "404.njk",
};

export function resolveHexoOptions(options: HexoNotesOptions): ResolvedHexoOptions {
  if (options.hexo && options.input) throw new Error("hexoNotes: give either `hexo` (a Hexo blog) or `input` (a folder of notes), not both");
  if (options.permalinkTimezone && !isValidTimeZone(options.permalinkTimezone)) {
    throw new Error(`hexoNotes: permalinkTimezone ${options.permalinkTimezone} is not a timezone (e.g. UTC, Asia/Shanghai)`);
  }
  const source = options.hexo
    ? { kind: "hexo" as const, dir: options.hexo }
    : { kind: "folder" as const, dir: options.input ?? "content" };
  return {
    source,
    permalinkTimezone: options.permalinkTimezone ?? "UTC",
    config: options.config ?? {},
    layouts: { ...defaultLayouts, ...options.layouts },
    cacheDir: options.cacheDir ?? ".cache/render",
    reuseOutput: options.reuseOutput ?? false,
    now: options.now ?? new Date(),
    headingIds: options.headingIds ?? "auto",
    keepAnchorsFrom: options.keepAnchorsFrom,
    onDiagnostic: options.onDiagnostic ?? (() => {}),
  };
}
