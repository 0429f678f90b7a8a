import { describe, expect, it } from "vitest";
import { changedPagesOnly, pageDigests } from "./incremental.ts";
import type { SiteModel, PostView, ListingView } from "./site.ts";

const post = (route: string, html: string) => ({ route, html, title: route }) as unknown as PostView;
const listing = (route: string, titles: string[]) => ({ route, posts: titles.map((title) => ({ title })) }) as unknown as ListingView;

function model(posts: PostView[], listings: ListingView[], title = "Site"): SiteModel {
  return {
    site: { title }, t: {}, posts, pages: [], listings, terms: [],
    render: { themedPosts: posts, themedPages: [], barePosts: [], listings, terms: [] },
  } as unknown as SiteModel;
}

describe("changedPagesOnly", () => {
  it("keeps only pages whose values changed since the previous build", () => {
    const before = model([post("a/", "A"), post("b/", "B")], [listing("index.html", ["a", "b"])]);
    const after = model([post("a/", "A edited"), post("b/", "B")], [listing("index.html", ["a", "b"])]);
    const changed = changedPagesOnly(after, pageDigests(after), pageDigests(before));
    expect(changed.render.themedPosts.map((p) => p.route)).toEqual(["a/"]);
    expect(changed.render.listings).toEqual([]);
    expect(changed.listings).toHaveLength(1); // the sitemap still lists every page
    expect(changed.posts).toHaveLength(2);
  });

  it("renders a listing again when a post it shows changes, and new pages always", () => {
    const before = model([post("a/", "A")], [listing("index.html", ["a"])]);
    const after = model([post("a/", "A"), post("c/", "C")], [listing("index.html", ["c", "a"])]);
    const changed = changedPagesOnly(after, pageDigests(after), pageDigests(before));
    expect(changed.render.themedPosts.map((p) => p.route)).toEqual(["c/"]);
    expect(changed.render.listings.map((l) => l.route)).toEqual(["index.html"]);
  });

  it("renders everything when a site-wide value changes", () => {
    const before = model([post("a/", "A")], [listing("index.html", ["a"])], "Old title");
    const after = model([post("a/", "A")], [listing("index.html", ["a"])], "New title");
    const changed = changedPagesOnly(after, pageDigests(after), pageDigests(before));
    expect(changed.render.themedPosts).toHaveLength(1);
    expect(changed.render.listings).toHaveLength(1);
  });
});
