import { describe, expect, it } from "vitest";
import { isVisible, publishedFlag } from "./visibility.ts";
import { defaultHexoConfig } from "./config.ts";

// hexo-semantics.md §13: the table's files (drafts.js case, site built "now" in 2026).
const now = new Date("2026-11-26T00:00:00Z");
const files = {
  pub: { published: undefined, isDraft: false, date: new Date("2022-01-01T00:00:00Z") },
  unpub: { published: false, isDraft: false, date: new Date("2022-01-02T00:00:00Z") },
  future: { published: undefined, isDraft: false, date: new Date("2099-01-01T00:00:00Z") },
  draft1: { published: undefined, isDraft: true, date: new Date("2022-01-03T00:00:00Z") },
  draft2: { published: true, isDraft: true, date: now }, // `published: true` in _drafts is ignored
};

describe("isVisible: §13", () => {
  it.each([
    { file: "pub", defaults: true, noFuture: true, drafts: true },
    { file: "unpub", defaults: false, noFuture: false, drafts: true },
    { file: "future", defaults: true, noFuture: false, drafts: true },
    { file: "draft1", defaults: false, noFuture: false, drafts: true },
    { file: "draft2", defaults: false, noFuture: false, drafts: true },
  ] as const)("$file", ({ file, defaults, noFuture, drafts }) => {
    const post = files[file];
    expect(isVisible(post, defaultHexoConfig(), now)).toBe(defaults);
    expect(isVisible(post, { ...defaultHexoConfig(), future: false }, now)).toBe(noFuture);
    expect(isVisible(post, { ...defaultHexoConfig(), render_drafts: true }, now)).toBe(drafts);
  });

  it("a post dated exactly now is not in the future", () => {
    expect(isVisible({ published: true, isDraft: false, date: now }, { ...defaultHexoConfig(), future: false }, now)).toBe(true);
  });
});

describe("publishedFlag", () => {
  it.each([
    { value: undefined, isDraft: false, published: true },
    { value: null, isDraft: false, published: true }, // null takes the model default
    { value: false, isDraft: false, published: false },
    { value: "false", isDraft: false, published: false },
    { value: "0", isDraft: false, published: false },
    { value: 0, isDraft: false, published: false },
    { value: "no", isDraft: false, published: true }, // YAML 1.2: a string, and truthy (recorded from Hexo 8.1.2)
    { value: true, isDraft: true, published: false },
    { value: undefined, isDraft: true, published: false },
  ])("$value (draft: $isDraft) → $published", ({ value, isDraft, published }) => {
    expect(publishedFlag(value, isDraft)).toBe(published);
  });
});
