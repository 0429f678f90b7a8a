// Code the browser crawl runs inside the page. Plain JavaScript, read as text and sent to the browser as it is:
// a TypeScript transpiler may add helpers (esbuild's `__name`) that do not exist in the page.

/**
 * Every fact the crawl's checks need, in one round trip. `siteUrl` is where the site is published
 * (`https://me.github.io/blog/`): absolute links to it are links to this served copy.
 */
async function pageFacts(siteUrl) {
  const here = new URL(location.href);
  const site = siteUrl ? new URL(siteUrl) : null;
  /** A URL of the published site, as a URL of the served copy (the same root path); others as they are. */
  const served = (u) => {
    if (!site || (u.protocol !== "http:" && u.protocol !== "https:") || u.hostname !== site.hostname || u.port !== site.port) return u;
    if (!u.pathname.startsWith(site.pathname)) return u;
    return new URL(u.pathname + u.search + u.hash, here.origin);
  };
  const sameOrigin = (u) => {
    try {
      return new URL(u, location.href).origin === here.origin;
    } catch {
      return false;
    }
  };
  // Images of the site: lazy ones are loaded too, then each must decode. An empty src is no image at all.
  const empty = [...document.images].filter((img) => img.getAttribute("src") === "" && !img.getAttribute("srcset"));
  const imgs = [...document.images].filter((img) => !empty.includes(img) && (img.currentSrc || img.src) && sameOrigin(img.currentSrc || img.src));
  const images = empty.map((img) => ({ src: `<img src="" alt="${img.alt}">`, ok: false, why: "empty src" }));
  images.push(...await Promise.all(
    imgs.map(async (img) => {
      const src = img.currentSrc || img.src;
      if (img.loading === "lazy") img.loading = "eager";
      try {
        await img.decode();
        return { src, ok: img.naturalWidth > 0, why: "decoded to 0 px wide" };
      } catch {
        return { src, ok: false, why: "does not load or decode" };
      }
    }),
  ));
  // Same-page fragments: the element must be in the DOM (an id, or <a name>), raw or percent-decoded.
  const fragments = [];
  const links = new Map();
  for (const el of document.querySelectorAll("a[href], area[href]")) {
    let url;
    try {
      url = served(new URL(el.href));
    } catch {
      continue;
    }
    if (url.origin !== here.origin) continue;
    const samePage = url.pathname === here.pathname && url.search === here.search;
    if (samePage && url.hash) {
      const frag = url.hash.slice(1);
      let decoded = frag;
      try {
        decoded = decodeURIComponent(frag);
      } catch {
        // keep it as written
      }
      const found =
        frag === "" ||
        decoded.toLowerCase() === "top" ||
        Boolean(document.getElementById(frag) || document.getElementById(decoded)) ||
        [...document.getElementsByName(decoded)].some((n) => n.localName === "a");
      fragments.push({ href: el.getAttribute("href") || "", found });
    } else if (!samePage) links.set(url.href, el.getAttribute("href") || "");
  }
  for (const el of document.querySelectorAll("link[href]")) {
    const rel = (el.getAttribute("rel") || "").toLowerCase();
    if (/\b(preconnect|dns-prefetch|canonical)\b/.test(rel)) continue; // canonical names the published URL
    if (sameOrigin(el.href)) links.set(el.href.split("#")[0], el.getAttribute("href") || "");
  }
  for (const el of document.querySelectorAll("img[srcset], source[srcset]")) {
    for (const part of (el.getAttribute("srcset") || "").split(/,\s+/)) {
      const u = part.trim().split(/\s+/)[0];
      if (u && sameOrigin(u)) links.set(new URL(u, location.href).href, u);
    }
  }
  // Sideways scroll: the document is wider than the viewport. Name the outermost elements that stick out.
  const root = document.scrollingElement || document.documentElement;
  let overflow = null;
  if (root.scrollWidth > window.innerWidth) {
    const culprits = [];
    for (const el of document.body.querySelectorAll("*")) {
      if (culprits.length >= 3) break;
      const r = el.getBoundingClientRect();
      if (r.right <= window.innerWidth + 1) continue;
      const parent = el.parentElement;
      if (parent && parent !== document.body && parent.getBoundingClientRect().right > window.innerWidth + 1) continue;
      const classes = el.classList.length ? `.${[...el.classList].join(".")}` : "";
      culprits.push(`${el.localName}${el.id ? `#${el.id}` : ""}${classes} ${Math.round(r.right)}px`);
    }
    overflow = { scrollWidth: root.scrollWidth, innerWidth: window.innerWidth, culprits };
  }
  // Snippets: a figure with code and a download link.
  const downloads = [];
  document.querySelectorAll("figure").forEach((figure, index) => {
    const code = figure.querySelector("pre code") || figure.querySelector("code");
    if (!code) return;
    for (const a of figure.querySelectorAll("a[download][href]")) downloads.push({ href: a.href, code: code.textContent || "", index });
  });
  // Copy buttons: each names (data-copy="<id>") code in its own figure, or the figure has code to copy.
  const copyButtons = document.querySelectorAll("figure button[data-copy]");
  const copyMisses = [];
  copyButtons.forEach((button, index) => {
    const figure = button.closest("figure");
    const named = button.dataset.copy ? document.getElementById(button.dataset.copy) : null;
    const ok = named ? figure.contains(named) : Boolean(figure.querySelector("pre code, code"));
    if (!ok) copyMisses.push(`copy button ${index + 1} (data-copy="${button.dataset.copy}") has no code of its figure to copy`);
  });
  return { images, fragments, links: [...links], overflow, downloads, copyButtons: copyButtons.length, copyMisses };
}

/** The ids and `<a name>`s of another page's HTML, parsed by the browser. */
function anchorsIn(html) {
  const doc = new DOMParser().parseFromString(html, "text/html");
  const out = [];
  for (const el of doc.querySelectorAll("[id]")) out.push(el.id);
  for (const el of doc.querySelectorAll("a[name]")) out.push(el.getAttribute("name") || "");
  return out;
}

/** `anchorsIn` of several pages in one round trip. */
function anchorsOfMany(htmls) {
  return htmls.map(anchorsIn);
}
