// Word count and reading time of a rendered note, counted as a Chinese reader reads: every CJK character (Han,
// kana, Hangul) is a word, like NexT's symbols count; other text counts its runs of letters and digits. Pure.

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

/** Counts the text of an HTML fragment (tags left out, entities as one character). */
export function readingStats(html: string): ReadingStats {
  const text = html.replace(/<[^>]*>/g, " ").replace(/&(?:#\d+|#x[\da-f]+|\w+);/gi, "x");
  const cjk = (text.match(cjkCharacter) ?? []).length;
  const others = (text.replace(cjkCharacter, " ").match(latinWord) ?? []).length;
  const minutes = Math.max(1, Math.round(cjk / readingSpeed.cjkPerMinute + others / readingSpeed.wordsPerMinute));
  return { words: cjk + others, minutes };
}
