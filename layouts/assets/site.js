// Small progressive enhancements; every page works without them.
// Copy buttons on code blocks: a button with data-copy-target names the <code> to copy.
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
