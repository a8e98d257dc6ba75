// cbec console: progressive enhancement only — every page works without this script.
// No inline script anywhere (the Content-Security-Policy forbids it): behaviour that a page
// needs is attached here by data- attributes.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // Move focus to the main landmark after an htmx swap so keyboard and screen-reader users
  // land on the new content (WCAG 2.1 SC 2.4.3 focus order).
  document.body.addEventListener("htmx:afterSwap", (event) => {
    const main = document.getElementById("main");
    if (main && event.target === main) main.focus();
  });
});
