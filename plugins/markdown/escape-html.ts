// The one HTML escape of the plugins, the one markdown-it applies to the rest of the page: `&`, `<`, `>` and `"`.
// For text and double-quoted attribute values (and XML, as the JUnit report uses it). Code text is escaped in full:
// hexo-util's escapeHTML leaves `&amp;` alone, so a note's `&amp;` would show as `&`.
const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ENTITIES[c]);
}
