import { describe, expect, it } from "vitest";
import { archiveTree, type ListedPost } from "./listings.ts";
import { defaultHexoConfig } from "./config.ts";

const post = (key: string, iso: string): ListedPost => ({ key, date: new Date(iso), sticky: 0, hidden: false, categories: [], tags: [] });

describe("archiveTree", () => {
  const posts = [
    post("a", "2022-06-03T10:00:00Z"),
    post("b", "2021-12-31T20:00:00Z"), // 2022-01-01 in Asia/Shanghai
    post("c", "2022-06-10T10:00:00Z"),
    post("d", "2020-02-02T00:00:00Z"),
  ];

  it("groups the notes by year and month, newest first, with counts and the archive pages' paths", () => {
    const { years, monthOf } = archiveTree(posts, defaultHexoConfig(), "UTC");
    expect(years).toEqual([
      { year: 2022, path: "archives/2022/", count: 2, months: [{ month: 6, path: "archives/2022/06/", count: 2 }] },
      { year: 2021, path: "archives/2021/", count: 1, months: [{ month: 12, path: "archives/2021/12/", count: 1 }] },
      { year: 2020, path: "archives/2020/", count: 1, months: [{ month: 2, path: "archives/2020/02/", count: 1 }] },
    ]);
    expect(monthOf.get("b")).toBe("archives/2021/12/");
  });

  it("uses the permalink timezone, as the archive pages do, and the archive_dir", () => {
    const { years, monthOf } = archiveTree(posts, { ...defaultHexoConfig(), archive_dir: "归档" }, "Asia/Shanghai");
    expect(years.map((y) => [y.year, y.count, y.months.map((m) => [m.month, m.count])])).toEqual([
      [2022, 3, [[6, 2], [1, 1]]],
      [2020, 1, [[2, 1]]],
    ]);
    expect(monthOf.get("b")).toBe("归档/2022/01/");
  });
});
