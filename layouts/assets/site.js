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
