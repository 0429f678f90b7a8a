// Word count and reading time of a note, counted as a Chinese reader reads: every CJK character (Han, kana, Hangul)
// is a word; other text counts its runs of letters and digits. Counted on the note's Markdown, as NexT's word counter
// does, so what plugins add to the page (snippet badges, buttons) is not counted; link targets, HTML tags and tag
// plugin lines are left out, code is counted. Pure.

const cjkCharacter = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]/gu;
const latinWord = /[\p{L}\p{N}_]+(?:['’.-][\p{L}\p{N}_]+)*/gu;

/** Characters a minute for CJK text and words a minute for the rest (common reading speeds). */
export const readingSpeed = { cjkPerMinute: 300, wordsPerMinute: 200 };

export interface ReadingStats {
  /** CJK characters plus other words. */
  words: number;
  /** At least 1. */
  minutes: number;
}

/** Counts the text of a note's Markdown body. */
export function readingStats(markdown: string): ReadingStats {
  const text = markdown
    .replace(/\{%[\s\S]*?%\}/g, " ") // tag plugins: {% asset_img a.png %}, {% endcodeblock %}
    .replace(/\$\$[\s\S]*?\$\$|\$[^$\n]+\$/g, (math) => math.replace(/\\[A-Za-z]+/g, " ")) // math: \frac is not read
    .replace(/!\[[^\]]*\]\([^)]*\)/g, " ") // images
    .replace(/\]\([^)]*\)/g, "] ") // link targets: [text](https://…)
    .replace(/^[ \t>]*\d+[.)](?=\s)/gm, " ") // ordered list markers: the page shows them, but as numbering
    .replace(/^\s*\[[^\]]+\]:\s*\S+.*$/gm, " ") // link definitions
    .replace(/<!--[\s\S]*?-->/g, " ") // comments, <!-- more -->
    .replace(/<https?:\/\/[^>\s]+>/g, " ") // autolinks
    .replace(/<\/?[A-Za-z][\w:-]*(?:\s[^<>]*)?\/?>/g, " ") // HTML tags (not `a < b`, `P<0.001`)
    .replace(/&(?:#\d+|#x[\da-f]+|\w+);/gi, "x");
  const cjk = (text.match(cjkCharacter) ?? []).length;
  const others = (text.replace(cjkCharacter, " ").match(latinWord) ?? []).length;
  const minutes = Math.max(1, Math.round(cjk / readingSpeed.cjkPerMinute + others / readingSpeed.wordsPerMinute));
  return { words: cjk + others, minutes };
}
