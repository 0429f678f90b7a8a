// The virtual templates that turn the site model into pages: one per kind of page, paginated over the model
// so Eleventy writes each at its Hexo route. Layout files decide how they look.
import type { HexoLayouts } from "./options.ts";
import type { SiteModel, PostView, ListingView, TermsView } from "./site.ts";
import { labelsFor } from "./i18n.ts";

export interface VirtualTemplate {
  path: string;
  content: string;
  data: Record<string, unknown>;
}

type Data = { hexo: SiteModel; post?: PostView; listing?: ListingView; terms?: TermsView };

/** Data every page's layout can use: `site`, `t` (labels), `pageTitle`, `pageLang`, `usesMath`, `canonical`. */
const common = (extra: Record<string, (d: Data) => unknown>) => ({
  site: (d: Data) => d.hexo.site,
  // A note's `lang:` picks the labels of its own page.
  t: (d: Data) => (d.post ? labelsFor(d.post.lang) : d.hexo.t),
  ...extra,
});

const paged = (data: string, alias: string) => ({ data, size: 1, alias, addAllPagesToCollections: false });
// `permalink` is a plain data function, not computed data: Eleventy pays for each computed key of each page (a copy of
// every filter and a dependency pass), and a permalink needs neither.

export function pageTemplates(layouts: HexoLayouts): VirtualTemplate[] {
  const postData = (data: string, layout: string | false) => ({
    pagination: paged(data, "post"),
    layout,
    eleventyExcludeFromCollections: true,
    permalink: (d: Data) => d.post!.route,
    eleventyComputed: common({
      pageTitle: (d) => d.post!.title,
      pageLang: (d) => d.post!.lang,
      usesMath: (d) => d.post!.usesMath,
      canonical: (d) => d.post!.permalink,
    }),
  });
  return [
    { path: "verinotes/posts.njk", content: "", data: postData("hexo.render.themedPosts", layouts.post) },
    { path: "verinotes/pages.njk", content: "", data: postData("hexo.render.themedPages", layouts.page) },
    // `layout: false` in a note: Hexo writes the bare content (§14.1).
    { path: "verinotes/bare.njk", content: "{{ post.html | safe }}", data: postData("hexo.render.barePosts", false) },
    {
      path: "verinotes/listings.njk",
      content: "",
      data: {
        pagination: paged("hexo.render.listings", "listing"),
        layout: layouts.list,
        eleventyExcludeFromCollections: true,
        permalink: (d: Data) => d.listing!.route,
        eleventyComputed: common({
          pageTitle: (d) => d.listing!.title,
          canonical: (d) => d.listing!.permalink,
        }),
      },
    },
    {
      path: "verinotes/terms.njk",
      content: "",
      data: {
        pagination: paged("hexo.render.terms", "terms"),
        layout: layouts.terms,
        eleventyExcludeFromCollections: true,
        permalink: (d: Data) => d.terms!.route,
        eleventyComputed: common({ pageTitle: (d) => d.terms!.heading }),
      },
    },
    {
      path: "verinotes/404.njk",
      content: "",
      data: {
        layout: layouts.notFound,
        permalink: "404.html",
        eleventyExcludeFromCollections: true,
        eleventyComputed: common({ pageTitle: (d) => d.hexo.t.notFoundTitle }),
      },
    },
    { path: "verinotes/atom.njk", content: atom, data: { permalink: "atom.xml", eleventyExcludeFromCollections: true } },
    { path: "verinotes/sitemap.njk", content: sitemap, data: { permalink: "sitemap.xml", eleventyExcludeFromCollections: true } },
    { path: "verinotes/robots.njk", content: robots, data: { permalink: "robots.txt", eleventyExcludeFromCollections: true } },
  ];
}

const atom = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>{{ hexo.site.title }}</title>
  {%- if hexo.site.subtitle %}<subtitle>{{ hexo.site.subtitle }}</subtitle>{% endif %}
  <link href="{{ hexo.site.url }}/atom.xml" rel="self"/>
  <link href="{{ hexo.site.url }}/"/>
  <id>{{ hexo.site.url }}/</id>
  {%- if hexo.feed.length %}<updated>{{ hexo.feed[0].updatedIso or hexo.feed[0].dateIso }}</updated>{% endif %}
  <author><name>{{ hexo.site.author or hexo.site.title }}</name></author>
  {%- for post in hexo.feed.slice(0, 20) %}
  <entry>
    <title>{{ post.title }}</title>
    <link href="{{ post.permalink }}"/>
    <id>{{ post.permalink }}</id>
    <published>{{ post.dateIso }}</published>
    <updated>{{ post.updatedIso or post.dateIso }}</updated>
    <summary type="html">{{ post.excerptHtml or post.html | truncate(2000) }}</summary>
    {%- for trail in post.categories %}<category term="{{ (trail | last).name }}"/>{% endfor %}
  </entry>
  {%- endfor %}
</feed>
`;

const sitemap = `<?xml version="1.0" encoding="utf-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  {%- for post in hexo.posts %}
  <url><loc>{{ post.permalink }}</loc><lastmod>{{ post.updatedIso or post.dateIso }}</lastmod></url>
  {%- endfor %}
  {%- for page in hexo.pages %}
  <url><loc>{{ page.permalink }}</loc></url>
  {%- endfor %}
  {%- for listing in hexo.listings %}
  <url><loc>{{ listing.permalink }}</loc></url>
  {%- endfor %}
  {%- for terms in hexo.terms %}
  <url><loc>{{ terms.permalink }}</loc></url>
  {%- endfor %}
</urlset>
`;

const robots = `User-agent: *
Allow: /
Sitemap: {{ hexo.site.url }}/sitemap.xml
`;
