// The search page as an Eleventy virtual template: the layout draws the form, the browser script the results.
// It prints the site's `site` and `t` (labels) like every other page, from the Hexo plugin's `hexo` data.

interface HexoData {
  site?: unknown;
  t?: { search?: string };
  pages?: { route: string }[];
}

export interface SearchPageTemplate {
  path: string;
  content: string;
  data: Record<string, unknown>;
}

export function searchPageTemplate(route: string, layout: string): SearchPageTemplate {
  return {
    path: "verinotes/search.njk",
    content: "",
    data: {
      layout,
      eleventyExcludeFromCollections: true,
      eleventyComputed: {
        // A blog's own page at that route (a theme's search page) is kept, as Hexo would publish it.
        permalink: (d: { hexo?: HexoData }) => (d.hexo?.pages?.some((p) => p.route === route) ? false : route),
        site: (d: { hexo?: HexoData }) => d.hexo?.site,
        t: (d: { hexo?: HexoData }) => d.hexo?.t,
        pageTitle: (d: { hexo?: HexoData }) => d.hexo?.t?.search,
      },
    },
  };
}
