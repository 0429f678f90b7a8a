// Search on every page, on Pagefind's JS API (the bundle the search plugin writes at build time):
// - the header box shows the best notes as you type (`/` or Ctrl-K to focus, arrows and Enter to open one);
// - the search page (/search/?q=…&category=…&tag=…&year=…&sort=…) adds filters, sorting and more results;
// - a note opened from a result marks the terms it was found for (?highlight=…).
// Pagefind is loaded only when a search starts. The helpers at the top are pure and exported for the tests.

const CJK = "\\p{sc=Han}\\p{sc=Hiragana}\\p{sc=Katakana}";
const cjkPair = new RegExp(`([${CJK}])(?=[${CJK}])`, "gu");
const cjkChar = new RegExp(`[${CJK}]`, "u");
const cjkSpace = new RegExp(`([${CJK}])((?:</?mark>)*) ((?:</?mark>)*)(?=[${CJK}])`, "gu");

/** The index holds CJK text one character per word (plugins/search/cjk.ts); a query is split the same way. */
export const splitCjk = (text) => text.replace(cjkPair, "$1 ");

/** Removes those spaces from what Pagefind returns (excerpts, headings), across its <mark> tags too. */
export const joinCjk = (html) => html.replace(cjkSpace, "$1$2$3").replaceAll("</mark><mark>", "");

/** The words of a query as the reader means them (the browser's word breaker understands Chinese). */
export function wordsOf(query, lang) {
  const segmenter = new Intl.Segmenter(lang || undefined, { granularity: "word" });
  return [...segmenter.segment(query)].filter((s) => s.isWordLike).map((s) => s.segment);
}

/**
 * How a query is searched: `phrase`, the whole query quoted (an exact match, a substring for CJK text);
 * `required`, the queries a note must otherwise all match: each CJK word of two or more characters quoted,
 * the other words together (Pagefind matches them as prefixes); `loose`, every word anywhere, whose score
 * ranks the notes (Pagefind scores all exact matches alike). Notes with the phrase rank first; a quoted query
 * asks for the phrase only. Single CJK characters alone are too common to mean anything. `splitCjk: false`
 * when the index was built without splitting (Pagefind's own Chinese words).
 */
export function planQuery(query, lang, { splitCjk: split = true } = {}) {
  const quoted = /^\s*["“].*["”]\s*$/.test(query);
  const text = query.replace(/["“”]/g, " ").replace(/\s+/g, " ").trim();
  if (!text) return undefined;
  const asIndexed = split ? splitCjk : (s) => s;
  const words = wordsOf(text, lang);
  const cjkWords = words.filter((w) => cjkChar.test(w) && [...w].length > 1).map((w) => `"${asIndexed(w)}"`);
  const otherWords = words.filter((w) => !cjkChar.test(w)).join(" ");
  const required = quoted ? [] : [...cjkWords, otherWords].filter(Boolean);
  return { phrase: `"${asIndexed(text)}"`, required, loose: asIndexed(text), otherWords: otherWords ? otherWords.split(" ") : [] };
}

/**
 * Whether a result only has near misses of the query's (non-CJK) words. Pagefind answers a word it has no
 * extension of with the longest indexed word it starts with (`passed` → `p`): such a note does not contain the
 * word. A located word counts when it shares a good part of a query word's beginning (`argparse` for
 * `argparser`, `passing` for `passes`), which also allows for stemming.
 */
export function onlyNearMisses(data, queryWords) {
  const words = data.content.split(/[^\S\uFEFF]+/); // Pagefind's word positions
  const shares = (part, q) => {
    let n = 0;
    while (n < part.length && n < q.length && part[n] === q[n]) n++;
    return n >= Math.min(q.length, Math.max(3, Math.ceil(q.length * 0.6)));
  };
  const wanted = queryWords.map((q) => q.toLowerCase());
  const located = data.locations.map((i) => (words[i] ?? "").toLowerCase().split(/[^\p{L}\p{N}_]+/u));
  return located.length > 0 && located.every((parts) => !parts.some((part) => wanted.some((q) => shares(part, q))));
}

/**
 * Ranks the results of a plan (each a list of Pagefind results) in two groups, each by the loose search's
 * score (headings and titles weigh more): `withPhrase`, the notes with the phrase, and `withWords`, the
 * other notes found by every required query.
 */
export function rankResults({ phrase, required, loose }) {
  const score = new Map(loose.map((r) => [r.id, r.score]));
  const byScore = (a, b) => (score.get(b.id) ?? 0) - (score.get(a.id) ?? 0);
  const phraseIds = new Set(phrase.map((r) => r.id));
  const inEvery = required.slice(1).map((results) => new Set(results.map((r) => r.id)));
  const withWords = (required[0] ?? []).filter((r) => !phraseIds.has(r.id) && inEvery.every((ids) => ids.has(r.id)));
  return { withPhrase: [...phrase].sort(byScore), withWords: withWords.sort(byScore) };
}

/** The results in the order of `sortedIds` (every page, in the order asked for). */
export function inOrder(results, sortedIds) {
  const position = new Map(sortedIds.map((id, i) => [id, i]));
  return [...results].sort((a, b) => (position.get(a.id) ?? Infinity) - (position.get(b.id) ?? Infinity));
}

/** A result's link: the page or section, with the query for the note to highlight, before any #anchor. */
export function withHighlight(url, query) {
  const [path, hash] = url.split("#");
  const sep = path.includes("?") ? "&" : "?";
  return `${path}${sep}highlight=${encodeURIComponent(query)}${hash ? `#${hash}` : ""}`;
}

/** The section to link a result to: the sub-result (heading) holding the most matches, the page if none. */
export function bestSection(data) {
  const sections = [...(data.sub_results ?? [])].sort((a, b) => (b.locations?.length ?? 0) - (a.locations?.length ?? 0));
  return sections[0] ?? { url: data.url, title: data.meta.title, excerpt: data.excerpt };
}

// ---- Pagefind ----

/** Pagefind with the site's options, searching every language of the site (each has its own index). */
async function openPagefind(bundleUrl, settings) {
  const pagefind = await import(`${bundleUrl}pagefind.js`);
  await pagefind.options(settings.pagefindOptions);
  await pagefind.init();
  const entry = await (await fetch(`${bundleUrl}pagefind-entry.json`)).json();
  const languages = Object.keys(entry.languages);
  const here = document.documentElement.lang.toLowerCase();
  // The index Pagefind picked for this page (its own rule: same language, same base language, else the largest).
  const primary = languages.find((l) => l === here) ?? languages.find((l) => l === here.split("-")[0]) ??
    languages.sort((a, b) => entry.languages[b].page_count - entry.languages[a].page_count)[0];
  // An absolute URL: Pagefind skips a merge whose path equals the primary's, even for another language.
  const absolute = new URL(bundleUrl, location.href).href;
  for (const language of languages) {
    if (language !== primary) await pagefind.mergeIndex(absolute, { language, ...settings.pagefindOptions });
  }
  return pagefind;
}

/**
 * Runs a query; returns the ordered results (each with `data()`), or undefined for an empty query. When the
 * phrase alone finds `enough` notes, the other words are not searched: the header box shows a few results and
 * must keep up with typing.
 */
async function searchNotes(pagefind, query, { filters = {}, sort, lang, enough = Infinity, splitCjk = true } = {}) {
  const plan = planQuery(query, lang, { splitCjk });
  if (!plan) return undefined;
  const runs = new Map(); // a one-word query is its own loose and required query: searched once
  const run = (q) => runs.get(q) ?? runs.set(q, pagefind.search(q, { filters }).then((r) => r?.results ?? [])).get(q);
  if (enough !== Infinity && !sort) {
    // The header box: when the phrase alone fills it, those notes in Pagefind's order are the answer, one search
    // per keystroke; the full ranking (with the loose search's scores) is for the search page.
    const phrase = await run(plan.phrase);
    if (phrase.length >= enough) return phrase;
  }
  const [phrase, loose, sorted] = await Promise.all([
    run(plan.phrase),
    sort ? [] : run(plan.loose),
    sort ? pagefind.search(null, { filters, sort: { date: sort } }).then((r) => r.results.map((x) => x.id)) : undefined,
  ]);
  const required = await Promise.all(plan.required.map(run));
  let { withPhrase, withWords } = rankResults({ phrase, required, loose });
  // Near misses come from a word Pagefind does not know, so all the notes found by the words do: one tells.
  if (withWords.length && plan.otherWords.length && onlyNearMisses(await withWords[0].data(), plan.otherWords)) withWords = [];
  const all = [...withPhrase, ...withWords];
  return sorted ? inOrder(all, sorted) : all;
}

/** Calls `task` for the latest request only: one run at a time, requests made meanwhile collapse into one. */
function latestOnly(task) {
  let running = false;
  let pending = false;
  const request = async () => {
    if (running) return void (pending = true);
    running = true;
    try {
      await task();
    } finally {
      running = false;
      if (pending) {
        pending = false;
        request();
      }
    }
  };
  return request;
}

// ---- Rendering ----

const el = (tag, props = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children.filter((c) => c !== undefined && c !== null));
  return node;
};
const html = (tag, props, markup) => Object.assign(el(tag, props), { innerHTML: joinCjk(markup ?? "") });
const format = (label, value) => label.replace(/%[sd]/, value);

function resultMeta(data) {
  const parts = [data.meta.date && el("time", { textContent: data.meta.date }), data.meta.categories];
  return el("span", { className: "post-meta" }, ...parts.filter(Boolean).flatMap((p, i) => (i ? [" · ", p] : [p])));
}

/** One result on the search page: title (to the best section), date and categories, excerpt, other sections. */
function resultItem(data, query) {
  const best = bestSection(data);
  const sections = (data.sub_results ?? []).filter((s) => s !== best && s.anchor && s.locations?.length).slice(0, 3);
  return el(
    "li",
    { className: "search-result" },
    el("h2", {}, el("a", { href: withHighlight(best.url, query), textContent: data.meta.title })),
    el("p", {}, resultMeta(data)),
    html("p", { className: "search-excerpt" }, best.excerpt),
    sections.length
      ? el("ul", { className: "search-sections" }, ...sections.map((s) =>
          el("li", {}, el("a", { href: withHighlight(s.url, query), textContent: joinCjk(s.title ?? "") }), " ", html("span", { className: "search-excerpt" }, s.excerpt))))
      : undefined,
  );
}

// ---- The header box ----

function headerSearch(form, loadPagefind) {
  const input = form.querySelector("input[name=q]");
  const settings = JSON.parse(form.dataset.settings);
  const labels = JSON.parse(form.dataset.labels);
  const lang = document.documentElement.lang;
  // A popover under the box: a message (no results, failure) and a listbox whose options are the result links.
  const list = el("div", { id: "site-search-results", role: "listbox" });
  list.setAttribute("aria-label", input.labels[0]?.textContent ?? "");
  const message = el("p", { className: "site-search-message", hidden: true });
  const popover = el("div", { className: "site-search-results", hidden: true }, message, list);
  const status = el("p", { className: "visually-hidden", role: "status" });
  form.append(popover, status);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-autocomplete", "list");
  let active = -1;

  const options = () => [...list.children];
  const setActive = (i) => {
    const all = options();
    active = i < -1 ? all.length - 1 : i >= all.length ? 0 : i;
    all.forEach((o, j) => o.setAttribute("aria-selected", String(j === active)));
    if (active >= 0) input.setAttribute("aria-activedescendant", all[active].id);
    else input.removeAttribute("aria-activedescendant");
    all[active]?.scrollIntoView({ block: "nearest" });
  };
  const close = () => {
    popover.hidden = true;
    input.setAttribute("aria-expanded", "false");
    setActive(-1);
  };
  const show = (text, links) => {
    message.textContent = text;
    message.hidden = !text;
    list.replaceChildren(...links.map((link, i) => Object.assign(link, { id: `site-search-option-${i}`, tabIndex: -1 })));
    for (const link of links) link.setAttribute("role", "option");
    popover.hidden = false;
    input.setAttribute("aria-expanded", String(links.length > 0));
    setActive(Math.min(active, links.length - 1)); // a choice made with the arrows survives late results
  };

  const SHOWN = 6;
  // While a search runs, keystrokes only ask for one more with the box's latest text.
  const update = latestOnly(async () => {
    const query = input.value.trim();
    if (!query) return close();
    form.dataset.state = "searching";
    try {
      const pagefind = await loadPagefind();
      const results = await searchNotes(pagefind, query, { lang, enough: SHOWN, splitCjk: settings.splitCjk });
      const shown = await Promise.all(results.slice(0, SHOWN).map((r) => r.data()));
      if (query !== input.value.trim()) return; // the next run shows the box's text
      const links = shown.map((data) => {
        const best = bestSection(data);
        return el("a", { href: withHighlight(best.url, query) },
          el("strong", { textContent: data.meta.title }), resultMeta(data), html("span", { className: "search-excerpt" }, best.excerpt));
      });
      if (settings.pageUrl && shown.length) {
        links.push(el("a", { className: "search-all", href: `${form.action}?q=${encodeURIComponent(query)}`, textContent: format(labels.all, query) }));
      }
      status.textContent = !results.length ? format(labels.none, query) : results.length === 1 ? labels.countOne : format(labels.count, results.length);
      show(shown.length ? "" : format(labels.none, query), links);
      form.dataset.state = "done";
    } catch (error) {
      console.error(error);
      show(labels.failed, []);
      form.dataset.state = "failed";
    }
  });

  input.addEventListener("input", () => {
    setActive(-1);
    update();
  });
  input.addEventListener("focus", () => {
    loadPagefind().catch(() => {});
    if (input.value.trim() && popover.hidden) update();
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (popover.hidden) return update();
      setActive(active + (event.key === "ArrowDown" ? 1 : -1));
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      options()[active].click();
    } else if (event.key === "Escape" && !popover.hidden) {
      event.preventDefault(); // a search field clears itself on Escape: the first one only closes the results
      close();
    }
  });
  form.addEventListener("focusout", (event) => {
    if (!form.contains(event.relatedTarget)) close();
  });
  // `/` or Ctrl-K (⌘K) from anywhere that is not a text field.
  document.addEventListener("keydown", (event) => {
    const typing = event.target.closest?.("input, textarea, select, [contenteditable]");
    if ((event.key === "/" && !typing && !event.ctrlKey && !event.metaKey) || ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "k")) {
      event.preventDefault();
      input.focus();
      input.select();
    }
  });
}

// ---- The search page ----

function searchPage(section, form, loadPagefind) {
  const settings = JSON.parse(form.dataset.settings);
  const labels = JSON.parse(form.dataset.labels);
  const lang = document.documentElement.lang;
  const pageForm = section.querySelector(".search-form");
  const input = pageForm.elements.q;
  const selects = [...pageForm.querySelectorAll("select[data-filter]")];
  const status = section.querySelector(".search-status");
  const list = section.querySelector(".search-results");
  const more = section.querySelector(".search-more");
  const PAGE = 10;
  let shown = { query: "", results: [] };

  const params = new URLSearchParams(location.search);
  for (const select of selects) {
    // The filter from the URL applies at once; the other values arrive with Pagefind's filter list.
    if (params.get(select.name)) select.append(el("option", { value: params.get(select.name), textContent: params.get(select.name) }));
  }
  for (const field of pageForm.elements) if (field.name && params.has(field.name)) field.value = params.get(field.name);

  async function showMore() {
    const { query, results } = shown;
    const next = await Promise.all(results.slice(list.children.length, list.children.length + PAGE).map((r) => r.data()));
    if (shown.results !== results) return;
    list.append(...next.map((data) => resultItem(data, query)));
    more.hidden = list.children.length >= results.length;
  }

  const update = latestOnly(async () => {
    const query = input.value.trim();
    const filters = Object.fromEntries(selects.filter((s) => s.value).map((s) => [s.dataset.filter, s.value]));
    const sort = { newest: "desc", oldest: "asc" }[pageForm.elements.sort.value];
    const state = new URLSearchParams([...new FormData(pageForm)].filter(([, v]) => v));
    history.replaceState(null, "", `${location.pathname}${state.size ? `?${state}` : ""}`);
    section.dataset.state = "searching";
    try {
      const pagefind = await loadPagefind();
      const results = (query && (await searchNotes(pagefind, query, { filters, sort, lang, splitCjk: settings.splitCjk }))) || [];
      shown = { query, results };
      list.replaceChildren();
      status.textContent = !query ? "" : !results.length ? format(labels.none, query) : results.length === 1 ? labels.countOne : format(labels.count, results.length);
      await showMore();
      section.dataset.state = "done";
    } catch (error) {
      console.error(error);
      status.textContent = labels.failed;
      section.dataset.state = "failed";
    }
  });

  async function fillFilters() {
    const pagefind = await loadPagefind();
    const available = await pagefind.filters();
    for (const select of selects) {
      const counts = available[select.dataset.filter] ?? {};
      const byCount = (a, b) => counts[b] - counts[a] || a.localeCompare(b, lang);
      const names = Object.keys(counts).sort(select.dataset.filter === "year" ? (a, b) => b.localeCompare(a) : byCount);
      const chosen = select.value;
      select.replaceChildren(select.options[0], ...names.map((name) => el("option", { value: name, textContent: `${name} (${counts[name]})` })));
      select.value = chosen;
    }
  }

  pageForm.addEventListener("submit", (event) => {
    event.preventDefault();
    update();
  });
  input.addEventListener("input", update);
  pageForm.addEventListener("change", (event) => {
    if (event.target !== input) update();
  });
  more.addEventListener("click", showMore);
  update();
  fillFilters().catch(console.error);
}

// ---- On a note opened from a result: mark the terms ----

/** Marks the query in the note's text: the whole query where a text node holds it, else each of its words. */
function highlightTerms(root, query, lang) {
  const words = wordsOf(query, lang).filter((w) => [...w].length > 1 || !cjkChar.test(w));
  const marked = markAll(root, [query]) || markAll(root, words);
  if (marked && !location.hash) root.querySelector("mark.search-hit")?.scrollIntoView({ block: "center" });
}

/** Wraps every occurrence of the terms (any case) in <mark class="search-hit">; returns whether any was found. */
function markAll(root, terms) {
  if (!terms.length) return false;
  const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const pattern = new RegExp(`(${[...terms].sort((a, b) => b.length - a.length).map(escape).join("|")})`, "giu");
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode: (node) => (node.parentElement.closest("script, style, mark, .headerlink") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
  });
  const nodes = [];
  while (walker.nextNode()) nodes.push(walker.currentNode);
  let found = false;
  for (const node of nodes) {
    const parts = node.data.split(pattern);
    if (parts.length === 1) continue;
    found = true;
    node.replaceWith(...parts.map((part, i) => (i % 2 ? el("mark", { className: "search-hit", textContent: part }) : part)));
  }
  return found;
}

function start() {
  const form = document.querySelector("form.site-search");
  if (form) {
    // Loaded at the first search (or focus of the box), once, for the box and the search page alike.
    let pagefind;
    const loadPagefind = () => (pagefind ??= openPagefind(form.dataset.bundle, JSON.parse(form.dataset.settings)));
    headerSearch(form, loadPagefind);
    const page = document.querySelector(".search-page");
    if (page) searchPage(page, form, loadPagefind);
  }
  const highlight = new URLSearchParams(location.search).get("highlight");
  const body = document.querySelector("[data-pagefind-body] .post-body, [data-pagefind-body]");
  if (highlight?.trim() && body) highlightTerms(body, highlight.trim(), document.documentElement.lang);
}

if (typeof document !== "undefined") start();
