// Typeset the formulas of a page with KaTeX (served from this site: assets/katex/).
// pymdownx.arithmatex leaves each formula as \( ... \) (inline) or \[ ... \] (display) in an
// element of class "arithmatex"; this replaces the element's text with KaTeX's rendering.
function renderFormulas() {
  document.querySelectorAll(".arithmatex").forEach(function (element) {
    if (element.querySelector(".katex")) {
      return; // already typeset
    }
    var tex = element.textContent.trim();
    var display = tex.startsWith("\\[");
    if (tex.startsWith("\\(") || display) {
      tex = tex.slice(2, -2);
    }
    katex.render(tex, element, { displayMode: display, throwOnError: false });
  });
}

if (typeof document$ !== "undefined") {
  document$.subscribe(renderFormulas); // Material's page-change stream
} else {
  document.addEventListener("DOMContentLoaded", renderFormulas);
}
