// GFM task lists: a list item whose text starts with `[ ] ` or `[x] ` gets a disabled
// checkbox. The checkbox and the item's text are wrapped in one <label>, so the box has an
// accessible name (the task) and axe's `label` rule holds.
//
//   - [x] done   →  <li class="task-list-item"><label><input class="task-list-item-checkbox"
//                    type="checkbox" checked disabled> done</label></li>

import type { MarkdownIt, StateCore, Token } from "markdown-it";

const TASK_MARKER = /^\[([ xX])\][ \t]+/;

function findListOpen(tokens: Token[], itemIndex: number): Token | undefined {
  const level = tokens[itemIndex].level - 1;
  for (let i = itemIndex - 1; i >= 0; i--) {
    if (tokens[i].level === level && (tokens[i].type === "bullet_list_open" || tokens[i].type === "ordered_list_open")) {
      return tokens[i];
    }
  }
  return undefined;
}

function htmlToken(state: StateCore, html: string): Token {
  const token = new state.Token("html_inline", "", 0);
  token.content = html;
  return token;
}

function taskListsRule(state: StateCore): void {
  const { tokens } = state;
  for (let i = 2; i < tokens.length; i++) {
    const inline = tokens[i];
    // The first paragraph of a list item: list_item_open, paragraph_open, inline.
    if (inline.type !== "inline" || tokens[i - 1].type !== "paragraph_open" || tokens[i - 2].type !== "list_item_open") continue;
    const children = inline.children ?? [];
    const first = children[0];
    const marker = first?.type === "text" ? TASK_MARKER.exec(first.content) : null;
    if (!first || !marker) continue;

    const checked = marker[1] !== " ";
    first.content = first.content.slice(marker[0].length);
    const checkbox = `<input class="task-list-item-checkbox" type="checkbox"${checked ? " checked" : ""} disabled> `;
    inline.children = [htmlToken(state, `<label>${checkbox}`), ...children, htmlToken(state, "</label>")];
    tokens[i - 2].attrJoin("class", "task-list-item");
    const list = findListOpen(tokens, i - 2);
    if (list && !String(list.attrGet("class") ?? "").includes("contains-task-list")) list.attrJoin("class", "contains-task-list");
  }
}

/** markdown-it plugin: `- [ ]` / `- [x]` list items as disabled checkboxes. */
export function taskListsPlugin(md: MarkdownIt): void {
  md.core.ruler.after("text_join", "task_lists", taskListsRule);
}
