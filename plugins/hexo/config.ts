// Hexo's `_config.yml`: Hexo 8 defaults (lib/hexo/default_config.ts) with the user's file merged over them.
import { YAMLException } from "js-yaml";
import type { Diagnostic, HexoConfig } from "./types.ts";
import { loadHexoYaml } from "./frontmatter.ts";
import { isValidTimeZone } from "./dates.ts";

export function defaultHexoConfig(): HexoConfig {
  return {
    title: "Hexo",
    subtitle: "",
    description: "",
    author: "John Doe",
    license: "",
    url: "http://example.com",
    root: "/",
    language: "en",
    timezone: "",
    permalink: ":year/:month/:day/:title/",
    permalink_defaults: {},
    new_post_name: ":title.md",
    per_page: 10,
    pagination_dir: "page",
    archive_dir: "archives",
    category_dir: "categories",
    tag_dir: "tags",
    code_dir: "downloads/code",
    category_map: {},
    tag_map: {},
    default_category: "uncategorized",
    post_asset_folder: false,
    future: true,
    render_drafts: false,
    filename_case: 0,
    updated_option: "mtime",
    use_slug_as_post_title: false,
    index_generator: { path: "", per_page: 10, order_by: "-date", pagination_dir: "page" },
    pretty_urls: { trailing_index: true, trailing_html: true },
    renderers: {},
  };
}

const stringKeys = [
  "title", "subtitle", "description", "author", "url", "timezone", "permalink", "new_post_name",
  "pagination_dir", "archive_dir", "category_dir", "tag_dir", "code_dir", "default_category",
] as const;
const booleanKeys = ["post_asset_folder", "future", "render_drafts", "use_slug_as_post_title"] as const;
// Post fields computed by Hexo (getters): a permalink using them makes Hexo throw "Invalid permalink setting!".
const virtualPostFields = new Set(["path", "permalink", "full_source", "asset_dir", "tags", "categories"]);

/**
 * Merges a `_config.yml` text over the defaults. Empty values (`category_map:`) keep the default;
 * `index_generator.per_page`/`pagination_dir` fall back to the top-level ones. Problems are diagnostics.
 */
export function parseHexoConfig(yamlText: string, file: string): { config: HexoConfig; diagnostics: Diagnostic[] } {
  const config = defaultHexoConfig();
  const diagnostics: Diagnostic[] = [];
  // A problem with a top-level key, pointed at that key's line.
  const report = (key: string | undefined, message: string, severity: Diagnostic["severity"] = "warning", hint?: string) =>
    diagnostics.push({ severity, file, line: key ? lineOfKey(yamlText, key) : undefined, message, ...(hint ? { hint } : {}) });

  let loaded: unknown;
  try {
    loaded = loadHexoYaml(yamlText.replace(/\r\n/g, "\n").replace(/^\uFEFF/, ""));
  } catch (error) {
    const reason = error instanceof YAMLException ? error.reason : String(error);
    const line = error instanceof YAMLException && error.mark ? error.mark.line + 1 : undefined;
    diagnostics.push({ severity: "error", file, line, message: `_config.yml cannot be read: ${reason}`, hint: "fix the YAML; Hexo's defaults are used meanwhile" });
    return { config, diagnostics };
  }
  if (loaded === null || loaded === undefined) return { config, diagnostics };
  if (typeof loaded !== "object" || Array.isArray(loaded)) {
    report(undefined, "_config.yml is not a mapping of settings; Hexo's defaults are used");
    return { config, diagnostics };
  }
  const user = loaded as Record<string, unknown>;

  for (const key of stringKeys) {
    const value = user[key];
    if (value === null || value === undefined) continue;
    if (isPrimitive(value)) config[key] = String(value);
    else report(key, `"${key}" should be a text value; the default "${config[key]}" is used`);
  }
  for (const key of booleanKeys) {
    if (user[key] !== null && user[key] !== undefined) config[key] = Boolean(user[key]); // Hexo tests truthiness
  }

  // Not a Hexo setting: the licence line of the layouts (NexT keeps it in its own config as creative_commons).
  const license = user.license ?? user.copyright;
  if (typeof license === "string") config.license = license;

  // `language` may be a list (Hexo's i18n order); the first one is the site's language.
  const language = Array.isArray(user.language) ? user.language[0] : user.language;
  if (isPrimitive(language)) config.language = String(language);

  const perPage = toCount(user.per_page);
  if (perPage !== undefined) config.per_page = perPage;
  else if (user.per_page !== null && user.per_page !== undefined) report("per_page", `"per_page" should be a number; ${config.per_page} is used`);

  // slugize's transform: exactly 1 or 2 change case, anything else keeps it.
  config.filename_case = user.filename_case === 1 || user.filename_case === 2 ? user.filename_case : 0;

  if (user.updated_option === "date" || user.updated_option === "empty" || user.updated_option === "mtime") {
    config.updated_option = user.updated_option;
  } else if (user.updated_option !== null && user.updated_option !== undefined) {
    report("updated_option", `"updated_option" should be mtime, date or empty; Hexo treats ${JSON.stringify(user.updated_option)} as mtime`);
  }

  config.permalink_defaults = stringMap(user.permalink_defaults, true);
  config.category_map = stringMap(user.category_map, false);
  config.tag_map = stringMap(user.tag_map, false);

  const pretty = isRecord(user.pretty_urls) ? user.pretty_urls : {};
  if (pretty.trailing_index !== null && pretty.trailing_index !== undefined) config.pretty_urls.trailing_index = Boolean(pretty.trailing_index);
  if (pretty.trailing_html !== null && pretty.trailing_html !== undefined) config.pretty_urls.trailing_html = Boolean(pretty.trailing_html);

  // The renderer's own sections, read by plugins/markdown/renderer-config.ts.
  for (const key of ["marked", "markdown", "markdown_it_plus", "external_link"] as const) {
    const value = user[key];
    if (value !== null && value !== undefined) Object.assign(config.renderers, { [key]: value });
  }

  const index = isRecord(user.index_generator) ? user.index_generator : {};
  config.index_generator = {
    path: isPrimitive(index.path) ? String(index.path) : "",
    per_page: toCount(index.per_page) ?? config.per_page,
    order_by: isPrimitive(index.order_by) ? String(index.order_by) : "-date",
    pagination_dir: isPrimitive(index.pagination_dir) ? String(index.pagination_dir) : config.pagination_dir,
  };

  // load_config.ts: url without trailing '/', root from the url's path when not set, root ends in one '/'.
  let urlPath = "/";
  try {
    urlPath = new URL(config.url).pathname;
  } catch {
    report("url", `"url" should be a full URL such as https://example.com; "${config.url}" is not`, "error");
    config.url = defaultHexoConfig().url;
  }
  config.url = config.url.replace(/\/+$/, "");
  const userRoot = user.root;
  config.root = (isPrimitive(userRoot) && String(userRoot) ? String(userRoot) : urlPath).replace(/\/*$/, "/");

  if (config.timezone && !isValidTimeZone(config.timezone)) {
    report("timezone", `"timezone" ${JSON.stringify(config.timezone)} is not a time zone name`, "error", "use an IANA name such as Asia/Shanghai; dates are read without it meanwhile");
    config.timezone = "";
  }
  if (!config.permalink) config.permalink = defaultHexoConfig().permalink; // Hexo refuses an empty rule
  for (const token of config.permalink.matchAll(/:(\w*[^_\W])/g)) {
    if (virtualPostFields.has(token[1])) {
      report("permalink", `"permalink" uses :${token[1]}, which Hexo rejects ("Invalid permalink setting!")`, "error");
    }
  }
  return { config, diagnostics };
}

type Primitive = string | number | boolean;

function isPrimitive(value: unknown): value is Primitive {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean";
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function toCount(value: unknown): number | undefined {
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  return typeof n === "number" && Number.isFinite(n) && n >= 0 ? n : undefined;
}

/**
 * A name → text map. For category/tag maps an empty mapped value means "use the name" in Hexo, so it is
 * left out; `permalink_defaults` values are used as JavaScript prints them.
 */
function stringMap(value: unknown, keepEmpty: boolean): Record<string, string> {
  const map: Record<string, string> = {};
  if (!isRecord(value)) return map;
  for (const [key, entry] of Object.entries(value)) {
    if (!keepEmpty && !entry) continue;
    map[key] = String(entry);
  }
  return map;
}

/** 1-based line of a top-level key. */
function lineOfKey(yamlText: string, key: string): number | undefined {
  const index = yamlText.split(/\r?\n/).findIndex((line) => line.startsWith(`${key}:`));
  return index >= 0 ? index + 1 : undefined;
}
