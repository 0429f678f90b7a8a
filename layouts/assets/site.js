// Small progressive enhancements; every page works without them.
// Copy buttons on code blocks: hidden until this script runs, since they need it.
for (const button of document.querySelectorAll("button[data-copy][hidden]")) button.hidden = false;
document.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-copy]");
  if (!button) return;
  const code = button.closest("figure")?.querySelector("pre code");
  if (!code) return;
  try {
    await navigator.clipboard.writeText(code.innerText);
    button.dataset.state = "copied";
    button.textContent = button.dataset.copiedLabel || "Copied";
  } catch {
    button.dataset.state = "failed";
  }
});

// Table of contents: folded at the top on narrow screens, open beside the text on wide ones (the same breakpoint
// as site.css), with the section being read marked.
const toc = document.querySelector(".toc");
if (toc) {
  const details = toc.querySelector("details");
  const wide = window.matchMedia("(min-width: 75rem)");
  const fit = () => { details.open = wide.matches; };
  fit();
  wide.addEventListener("change", fit);

  const links = [...toc.querySelectorAll("a[href^='#']")];
  const targets = links
    .map((link) => ({ link, heading: document.getElementById(decodeURIComponent(link.hash.slice(1))) }))
    .filter((entry) => entry.heading);
  let current;
  const mark = () => {
    // The section in view: the last heading above a line a quarter down the screen.
    const line = window.innerHeight / 4;
    let found = targets[0];
    for (const entry of targets) {
      if (entry.heading.getBoundingClientRect().top <= line) found = entry;
      else break;
    }
    // At the very end of the page a short last section never reaches that line: it is the one being read.
    const atEnd = window.scrollY > 0 && window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 2;
    if (atEnd) found = targets[targets.length - 1];
    if (!found || found === current) return;
    current?.link.removeAttribute("aria-current");
    found.link.setAttribute("aria-current", "location");
    current = found;
    // Keep the marked entry visible inside the contents column, without scrolling the page.
    if (wide.matches && toc.scrollHeight > toc.clientHeight) {
      const box = toc.getBoundingClientRect();
      const at = found.link.getBoundingClientRect();
      if (at.top < box.top || at.bottom > box.bottom) toc.scrollTop += at.top - box.top - box.height / 3;
    }
  };
  let queued = false;
  const schedule = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; mark(); });
  };
  window.addEventListener("scroll", schedule, { passive: true });
  window.addEventListener("resize", schedule);
  mark();
}

// Back to top: shown once the reader is a screen down the page.
const backToTop = document.querySelector(".back-to-top");
if (backToTop) {
  const update = () => backToTop.toggleAttribute("data-hidden", window.scrollY < window.innerHeight);
  update();
  window.addEventListener("scroll", update, { passive: true });
}
