// Interface labels for the layouts, chosen by the site's `language` (zh-*, else English).

export type Labels = typeof en;

const en = {
  skip: "Skip to content",
  menu: "Site",
  home: "Home",
  archives: "Archives",
  categories: "Categories",
  category: "Category",
  tags: "Tags",
  updated: "updated",
  readingTime: "%d min read",
  toc: "Contents",
  morePosts: "More notes",
  untitled: "(untitled)",
  sticky: "pinned",
  readMore: "Read more",
  pagination: "Pages",
  newer: "Newer",
  older: "Older",
  notFoundTitle: "Page not found",
  notFoundText: "There is no page at this address. It may have moved; try the archives.",
  archiveHeading: "Archives",
  archiveYear: "Archives: %s",
  categoryHeading: "Category: %s",
  tagHeading: "Tag: %s",
};

const zh: Labels = {
  skip: "跳到正文",
  menu: "站点",
  home: "首页",
  archives: "归档",
  categories: "分类",
  category: "分类",
  tags: "标签",
  updated: "更新于",
  readingTime: "阅读约 %d 分钟",
  toc: "目录",
  morePosts: "更多笔记",
  untitled: "（无标题）",
  sticky: "置顶",
  readMore: "阅读全文",
  pagination: "分页",
  newer: "较新",
  older: "较早",
  notFoundTitle: "页面不存在",
  notFoundText: "这个地址没有页面，它可能已经移动；可以在归档中找找。",
  archiveHeading: "归档",
  archiveYear: "归档：%s",
  categoryHeading: "分类：%s",
  tagHeading: "标签：%s",
};

export function labelsFor(language: string): Labels {
  return /^zh/i.test(language) ? zh : en;
}
