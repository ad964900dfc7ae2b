// Conveniences only: the page works without this script, and it computes nothing.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("case-form");
  const lang = document.getElementById("lang-switch");
  // Switching language keeps what has been typed but not yet submitted.
  if (form && lang && window.location.pathname === "/") {
    lang.addEventListener("click", (event) => {
      event.preventDefault();
      form.elements.namedItem("lang").value = lang.dataset.lang;
      form.submit();
    });
  }
  const copy = document.getElementById("copy-permalink");
  const link = document.getElementById("permalink");
  if (copy && link && navigator.clipboard) {
    copy.hidden = false;
    copy.addEventListener("click", () => navigator.clipboard.writeText(link.href));
  }
});
