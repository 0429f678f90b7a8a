// Rebuilds under `npm start`: Eleventy re-renders every page of a paginated template, so between two builds of
// the same process the model handed to Eleventy keeps only the pages whose values changed. Pages that did not
// change are already on disk from the previous build. Pure: models in, model out.
import crypto from "node:crypto";
import type { SiteModel } from "./site.ts";

/** Route → digest of everything the page's layout prints. */
export type PageDigests = Map<string, string>;

const digest = (value: unknown) => crypto.createHash("sha1").update(JSON.stringify(value)).digest("hex");

export function pageDigests(model: SiteModel): PageDigests {
  const digests: PageDigests = new Map();
  // Site-wide values (title, labels, menu) are part of every page.
  const shared = digest([model.site, model.t]);
  for (const view of [...model.posts, ...model.pages, ...model.listings, ...model.terms]) {
    digests.set(view.route, digest([shared, view]));
  }
  return digests;
}

/**
 * The model with only the pages that are new or differ from `previous` to render; the full lists (read by the
 * feed and the sitemap, which are always written, like the 404 page) stay as they are.
 */
export function changedPagesOnly(model: SiteModel, current: PageDigests, previous: PageDigests): SiteModel {
  const changed = <T extends { route: string }>(views: T[]) => views.filter((v) => current.get(v.route) !== previous.get(v.route));
  const r = model.render;
  return {
    ...model,
    render: {
      themedPosts: changed(r.themedPosts),
      themedPages: changed(r.themedPages),
      barePosts: changed(r.barePosts),
      listings: changed(r.listings),
      terms: changed(r.terms),
    },
  };
}
