// Work that may take more than a second shows it is under way (Pico draws a spinner on any
// element with aria-busy="true", and screen readers announce it): a form marked data-busy
// while it is sent, an export link marked data-busy until the download has had time to start.
// A static file, no inline script (Content-Security-Policy).
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-busy]");
  if (form) {
    for (const button of form.querySelectorAll("button[type=submit], button:not([type])")) {
      button.setAttribute("aria-busy", "true");
    }
  }
});
document.addEventListener("click", (event) => {
  const link = event.target.closest("a[data-busy]");
  if (link) {
    link.setAttribute("aria-busy", "true");
    const done = () => link.removeAttribute("aria-busy");
    window.addEventListener("focus", done, { once: true });
    setTimeout(done, 15000);
  }
});
// htmx requests (row actions) mark their element busy the same way.
document.addEventListener("htmx:beforeRequest", (event) => {
  event.detail.elt.setAttribute("aria-busy", "true");
});
document.addEventListener("htmx:afterRequest", (event) => {
  event.detail.elt.removeAttribute("aria-busy");
});
