// Shared value types of the Hexo plugin. Pure data: no Eleventy, no I/O.

/** A problem found in a source file. Errors stay values until the CLI prints them. */
export interface Diagnostic {
  severity: "error" | "warning";
  /** Path of the source file as the user knows it (relative to the input folder). */
  file: string;
  /** 1-based line in the source file, when known. */
  line?: number;
  message: string;
  /** What the author should do about it. */
  hint?: string;
}

/** The subset of Hexo's `_config.yml` Verinotes reads, with Hexo's defaults filled in (see config.ts). */
export interface HexoConfig {
  title: string;
  subtitle: string;
  description: string;
  author: string;
  /** `license:` (or `copyright:`) as written, '' when unset: the licence line under each note. */
  license: string;
  url: string;
  root: string;
  language: string;
  /** Site timezone (`timezone:`), '' when unset. */
  timezone: string;
  permalink: string;
  permalink_defaults: Record<string, string>;
  new_post_name: string;
  per_page: number;
  pagination_dir: string;
  archive_dir: string;
  category_dir: string;
  tag_dir: string;
  code_dir: string;
  category_map: Record<string, string>;
  tag_map: Record<string, string>;
  default_category: string;
  post_asset_folder: boolean;
  future: boolean;
  render_drafts: boolean;
  /** 0 keep case, 1 lower, 2 upper. */
  filename_case: 0 | 1 | 2;
  updated_option: "mtime" | "date" | "empty";
  use_slug_as_post_title: boolean;
  index_generator: { path: string; per_page: number; order_by: string; pagination_dir: string };
  pretty_urls: { trailing_index: boolean; trailing_html: boolean };
  /** The Markdown renderers' sections (`marked:`, `markdown:`, `markdown_it_plus:`, `external_link:`), as written. */
  renderers: import("../markdown/renderer-config.ts").RendererSections;
}

/** Result of splitting a note's text into front matter and body (Hexo's rules, §2). */
export interface FrontMatterResult {
  data: Record<string, unknown>;
  body: string;
  /** 1-based line of the source where `body` starts (for mapping body lines back to the file). */
  bodyLine: number;
  /** Which separator form was found. */
  form: "yaml" | "yaml-no-opening" | "json" | "json-no-opening" | "none";
}
