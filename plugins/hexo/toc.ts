// A note's table of contents: its two outermost heading levels, nested and numbered as they nest (1, 1.1, 1.2, 2).
// The outermost level is whichever the note uses (many Hexo notes start their sections at ###). A note that numbers
// its sections itself ("1. 安装", "一、背景") gets no second numbering. Pure.
import type { Heading } from "./render.ts";

export interface TocEntry {
  id: string;
  text: string;
  /** "2" for a section, "2.1" for its first subsection; '' throughout when the note numbers its own headings. */
  number: string;
  level: number;
  children: TocEntry[];
}

export function tableOfContents(headings: Heading[]): TocEntry[] {
  const levels = [...new Set(headings.map((h) => h.level))].sort((a, b) => a - b);
  const [outer, inner] = levels;
  const entries: TocEntry[] = [];
  for (const h of headings) {
    if (h.level === outer) {
      entries.push({ id: h.id, text: h.text, number: String(entries.length + 1), level: h.level, children: [] });
    } else if (h.level === inner) {
      // A subsection before the first section has no parent to sit in: it becomes a numbered entry of its own.
      const parent = entries[entries.length - 1];
      if (parent) parent.children.push({ id: h.id, text: h.text, number: `${parent.number}.${parent.children.length + 1}`, level: h.level, children: [] });
      else entries.push({ id: h.id, text: h.text, number: String(entries.length + 1), level: h.level, children: [] });
    }
  }
  return entries.length && entries.every((e) => ownNumber.test(e.text)) ? entries.map(unnumbered) : entries;
}

/** "1.", "2.3 ", "1)", "(1)", "一、", "第一章": a heading that carries its own number. */
const ownNumber = /^\s*(?:\d+(?:\.\d+)*[.、)）:：\s]|[(（]\d+[)）]|[一二三四五六七八九十百]+[、.．]|第[一二三四五六七八九十百\d]+[章节部分篇])/;

// A literal, not `{ ...entry }`: V8 gives each frozen spread copy a hidden class of its own (thousands a build, issue 16).
function unnumbered(entry: TocEntry): TocEntry {
  return { id: entry.id, text: entry.text, number: "", level: entry.level, children: entry.children.map(unnumbered) };
}

/** Number of entries at every level. */
export function tocSize(entries: TocEntry[]): number {
  return entries.reduce((n, e) => n + 1 + tocSize(e.children), 0);
}
