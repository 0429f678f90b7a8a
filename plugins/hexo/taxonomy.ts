// Categories and tags of a post as Hexo 8 builds them (hexo-semantics.md §8):
// processor/post.ts (aliases), models/post.ts#setCategories/setTags, models/category.ts, models/tag.ts.
import type { HexoConfig } from "./types.ts";
import { slugize } from "./slug.ts";

export interface CategoryRef {
  name: string;
  /** Parent-qualified slug, e.g. `Sports/Baseball`; it identifies the category. */
  slug: string;
  /** Hexo's `category.path`, e.g. `categories/Sports/Baseball/`. */
  path: string;
  /** Slug of the parent category. */
  parent?: string;
  /** Names from the top-level category down to this one. */
  hierarchy: string[];
}

export interface TagRef {
  name: string;
  slug: string;
  /** Hexo's `tag.path`, e.g. `tags/Node-js/`. */
  path: string;
}

/**
 * Every category the post is attached to, in the order Hexo attaches them. A flat list is one hierarchy
 * (`[A, B]` = A › B, attached to A and A/B); once any entry is a list, each entry is its own hierarchy.
 */
export function categoriesOf(frontMatter: Record<string, unknown>, config: HexoConfig): CategoryRef[] {
  const entries = aliased(frontMatter, "categories", "category")
    .filter((entry) => Array.isArray(entry) || (entry != null && entry !== ""))
    .map((entry) => (Array.isArray(entry) ? names(entry) : String(entry)));
  const hierarchies = entries.some(Array.isArray) ? entries.map((entry) => (Array.isArray(entry) ? entry : [entry])) : [entries as string[]];

  const attached = new Map<string, CategoryRef>();
  for (const hierarchy of hierarchies) {
    let parent: CategoryRef | undefined;
    for (const name of hierarchy) {
      const hierarchy = [...(parent?.hierarchy ?? []), name];
      // A category is (name, parent), so its names from the top identify it (not its slug).
      const key = JSON.stringify(hierarchy);
      const slug = (parent ? `${parent.slug}/` : "") + slugize(mapped(config.category_map, name), config.filename_case);
      const ref: CategoryRef = attached.get(key) ?? {
        name,
        slug,
        // models/category.ts: `category_dir: /` drops the folder name (the path then starts with `/`).
        path: `${directory(config.category_dir === "/" ? "" : config.category_dir)}${slug}/`,
        ...(parent ? { parent: parent.slug } : {}),
        hierarchy,
      };
      attached.set(key, ref);
      parent = ref;
    }
  }
  return [...attached.values()];
}

/** Tags in front-matter order; empty and null entries dropped, numbers stringified, duplicates (exact name) merged. */
export function tagsOf(frontMatter: Record<string, unknown>, config: HexoConfig): TagRef[] {
  const unique = [...new Set(names(aliased(frontMatter, "tags", "tag")))];
  return unique.map((name) => {
    const slug = slugize(mapped(config.tag_map, name), config.filename_case);
    return { name, slug, path: `${directory(config.tag_dir)}${slug}/` };
  });
}

/** The `:category` permalink token: the slug of the post's last category, else `default_category`. */
export function lastCategorySlug(categories: readonly CategoryRef[], config: HexoConfig): string {
  return categories.length ? categories[categories.length - 1].slug : config.default_category;
}

/** `categories`, or the `category` alias when `categories` is empty; a scalar is a one-entry list. */
function aliased(frontMatter: Record<string, unknown>, key: string, alias: string): unknown[] {
  const value = frontMatter[alias] && !frontMatter[key] ? frontMatter[alias] : frontMatter[key];
  return value ? asList(value) : [];
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

/** Hexo's removeEmptyTag: null and '' dropped, everything else as JavaScript prints it. */
function names(list: readonly unknown[]): string[] {
  return list.filter((item) => item != null && item !== "").map((item) => String(item));
}

/** `map[name] || name`: an empty mapped value falls back to the name. */
function mapped(map: Record<string, string>, name: string): string {
  return (Object.hasOwn(map, name) && map[name]) || name;
}

function directory(dir: string): string {
  return dir.endsWith("/") ? dir : `${dir}/`;
}
