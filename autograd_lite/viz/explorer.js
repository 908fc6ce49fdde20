/* autograd_lite backprop explorer: steps through the backward pass recorded in the page.
 *
 * Everything it needs is in the page: the trace (JSON, #autograd-lite-trace) and the graph
 * (SVG, one <g data-node-id> per node). State is one number, the current step k: 0 is before
 * backward, k >= 1 is just after step k ran. It is kept in #explorer[data-current-step] and
 * in the URL as #step=k.
 */
(function () {
  "use strict";

  const page = document.getElementById("explorer");
  const NUMERIC_KEYS = new Set(["grad_out", "before", "after", "min", "mean", "max"]);
  // JSON has no NaN or Infinity: the page writes them as strings, turned back here.
  function revive(key, value) {
    if (typeof value === "string" && (NUMERIC_KEYS.has(key) || /^\d+$/.test(key))) {
      if (value === "NaN") return NaN;
      if (value === "Infinity") return Infinity;
      if (value === "-Infinity") return -Infinity;
    }
    return value;
  }
  const trace = JSON.parse(document.getElementById("autograd-lite-trace").textContent, revive);
  const steps = trace.steps;
  const count = steps.length;
  const nodes = trace.nodes;
  const panel = document.getElementById("panel");
  const scrubber = document.getElementById("scrubber");
  const position = document.getElementById("position");
  const playButton = page.querySelector('[data-action="play"]');
  const graphBox = page.querySelector(".graph-box");
  document.documentElement.classList.remove("no-js");

  // ---- what happens to each node, step by step ---------------------------------------------

  function parentsOf(id) { return nodes[id].parents || []; }

  const groups = new Map();
  page.querySelectorAll("g[data-node-id]").forEach((g) => groups.set(g.dataset.nodeId, g));
  const stepOf = new Map();      // node id -> the step that runs its op
  const arrivals = new Map();    // node id -> [[step, input position], ...] it receives
  steps.forEach((step, i) => {
    stepOf.set(String(step.node), i + 1);
    parentsOf(step.node).forEach((parent, j) => {
      if (step.input_grads[j] === null || nodes[parent].role === "const") return;
      const key = String(parent);
      if (!arrivals.has(key)) arrivals.set(key, []);
      arrivals.get(key).push([i + 1, j]);
    });
  });

  function add(a, b) {
    if (Array.isArray(a)) return a.map((x, i) => add(x, b[i]));
    return a + b;
  }

  // A node's gradient after step k (null: none yet), as the engine adds it up.
  function gradAt(id, k) {
    const own = stepOf.get(id);
    if (own !== undefined && own <= k) return steps[own - 1].grad_out;
    let total = null;
    for (const [s, j] of arrivals.get(id) || []) {
      if (s > k) break;
      const detail = steps[s - 1].inputs;
      const after = detail && detail[j].after;
      const sent = steps[s - 1].input_grads[j];
      total = after !== undefined && after !== null ? after
        : (total === null ? sent : add(total, sent));
    }
    return total;
  }

  function stateAt(id, k) {
    if (nodes[id].role === "const") return "const";
    const own = stepOf.get(id);
    if (own !== undefined) return own <= k ? "done" : "pending";
    const all = arrivals.get(id) || [];
    return all.length && all[all.length - 1][0] <= k ? "done" : "pending";
  }

  // ---- numbers as the drawings write them (Python's "%.4g") --------------------------------

  function fmt(x) {
    if (typeof x !== "number") return String(x);
    if (Number.isNaN(x)) return "nan";
    if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
    if (x === 0) return "0";
    const [mantissa, power] = x.toExponential(3).split("e");
    const e = parseInt(power, 10);
    const strip = (s) => (s.indexOf(".") >= 0 ? s.replace(/\.?0+$/, "") : s);
    if (e < -4 || e >= 4) {
      return strip(mantissa) + "e" + (e < 0 ? "-" : "+") + String(Math.abs(e)).padStart(2, "0");
    }
    return strip(x.toFixed(Math.max(0, 3 - e)));
  }

  function flat(v) { return Array.isArray(v) ? v.flat(Infinity) : [v]; }
  function shapeOf(v) {
    const shape = [];
    while (Array.isArray(v)) { shape.push(v.length); v = v[0]; }
    return shape;
  }
  function shapeText(shape) {
    return "(" + shape.join(",") + (shape.length === 1 ? ",)" : ")");
  }
  function bad(x) { return typeof x === "number" && !Number.isFinite(x); }

  // Values in one line: a number, a small array's values, else min / mean / max.
  function brief(v) {
    if (v === null || v === undefined) return "—";
    if (!Array.isArray(v) && typeof v === "object") {
      return "min " + fmt(v.min) + "  mean " + fmt(v.mean) + "  max " + fmt(v.max);
    }
    const all = flat(v);
    if (!Array.isArray(v)) return fmt(v);
    if (all.length <= 8) return nested(v);
    let lo = Infinity, hi = -Infinity, sum = 0;
    for (const x of all) { lo = Math.min(lo, x); hi = Math.max(hi, x); sum += x; }
    if (all.some(Number.isNaN)) { lo = hi = sum = NaN; }
    return "min " + fmt(lo) + "  mean " + fmt(sum / all.length) + "  max " + fmt(hi);
  }
  // Values as a node box writes them (as explorer.short_text does in Python): a number, an
  // array of at most 4 values, else its range; cut to the box's 44 characters (svg.MAX_CHARS).
  function short(v) {
    if (!Array.isArray(v) && v !== null && typeof v === "object") {
      return "in [" + fmt(v.min) + ", " + fmt(v.max) + "]";
    }
    if (!Array.isArray(v)) return fmt(v);
    const all = flat(v);
    if (all.length <= 4) return nested(v);
    if (all.some(Number.isNaN)) return "in [nan, nan]";
    let lo = Infinity, hi = -Infinity;
    for (const x of all) { lo = Math.min(lo, x); hi = Math.max(hi, x); }
    return "in [" + fmt(lo) + ", " + fmt(hi) + "]";
  }
  function nested(v) { return Array.isArray(v) ? "[" + v.map(nested).join(", ") + "]" : fmt(v); }
  function clip(line) { return line.length <= 44 ? line : line.slice(0, 43) + "…"; }

  function hasBad(v) {
    if (v === null || v === undefined) return false;
    if (!Array.isArray(v) && typeof v === "object") return bad(v.min) || bad(v.max) || bad(v.mean);
    return flat(v).some(bad);
  }

  // ---- building bits of the panel -----------------------------------------------------------

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  function numberSpan(v, field) {
    const span = el("span", { class: "value" + (hasBad(v) ? " nonfinite" : "") }, brief(v));
    if (field) span.dataset.field = field;
    return span;
  }

  // A value with its shape, and every entry on request (built when opened).
  function valueBlock(v, field) {
    const block = el("div", { class: "value-block" });
    if (Array.isArray(v)) block.append(el("span", { class: "shape" }, shapeText(shapeOf(v)) + " "));
    else if (v && typeof v === "object") block.append(el("span", { class: "shape" }, shapeText(v.shape) + " "));
    block.append(numberSpan(v, field));
    if (Array.isArray(v) && flat(v).length > 8 && flat(v).length <= 4096) {
      const details = el("details", {}, el("summary", {}, "all values"));
      details.addEventListener("toggle", () => {
        if (details.open && details.children.length === 1) {
          details.append(el("pre", {}, matrixText(v)));
        }
      }, { once: true });
      block.append(details);
    }
    if (v && !Array.isArray(v) && typeof v === "object") {
      block.append(el("span", { class: "note" }, " (too large: summary only)"));
    }
    return block;
  }

  function matrixText(v) {
    if (!Array.isArray(v)) return fmt(v);
    if (!Array.isArray(v[0])) return v.map(fmt).join("  ");
    return v.map((row) => (Array.isArray(row[0]) ? matrixText(row) + "\n" : flat(row).map(fmt).join("  "))).join("\n");
  }

  function jacobianTable(rows) {
    const table = el("table", { class: "jacobian" });
    for (const row of rows) {
      const tr = el("tr");
      for (const x of row) tr.append(el("td", { class: bad(x) ? "nonfinite" : "" }, fmt(x)));
      table.append(tr);
    }
    return table;
  }

  // A node's name, or "op #id" ("leaf #id", "const #id") for one without.
  function nameOf(id) {
    const node = nodes[id];
    return node.name || (node.op || node.role) + " #" + id;
  }

  function renderBefore() {
    const root = steps.length ? nameOf(steps[0].node) : "the root";
    return [
      el("h2", {}, "Before backward (step 0 of " + count + ")"),
      el("p", {}, "No gradient is computed yet: every box shows grad —. Backward starts at the " +
        "root, " + root + ", with d " + root + " / d " + root + " = 1, then runs " + count +
        " steps, one per operation, from the root back to the leaves."),
      count ? el("p", {}, "Next (→): step 1, the " + steps[0].op + " that made " + root + ".") : null,
    ];
  }

  function renderStep(k) {
    const step = steps[k - 1];
    const id = String(step.node);
    const out = [];
    out.push(el("h2", {}, "Step " + k + " of " + count + ": " + step.op + " → " + nameOf(id)));
    const dl = el("dl");
    dl.append(el("dt", {}, "Upstream gradient  grad_out = d " + nameOf(trace.root) + " / d " + nameOf(id)),
      el("dd", {}, valueBlock(step.grad_out, "grad-out")));
    if (step.rule) {
      const dd = el("dd", {}, el("code", {}, step.rule));
      for (const line of step.shapes || []) dd.append(el("br"), el("code", { class: "shape-rule" }, line));
      dl.append(el("dt", {}, "Rule of " + step.op), dd);
    }
    out.push(dl);
    if (!step.inputs) {
      out.push(el("p", { class: "note" }, "This node is not drawn (the graph is larger than the " +
        "page's node limit), so only its gradients are kept, without Jacobians or rules."));
    }
    parentsOf(id).forEach((parent, j) => {
      out.push(renderInput(step, j, String(parent)));
    });
    return out;
  }

  function renderInput(step, j, parent) {
    const sent = step.input_grads[j];
    const detail = step.inputs ? step.inputs[j] : {};
    const shape = nodes[parent].shape ? " " + shapeText(nodes[parent].shape) : "";
    const box = el("section", { class: "input", "data-input": String(j) },
      el("h3", {}, "Input " + j + ": " + nameOf(parent) + shape));
    if (sent === null) {
      box.append(el("p", { class: "note" }, "Nothing sent: " + nameOf(parent) +
        " does not need a gradient."));
      return box;
    }
    const dl = el("dl");
    if (detail.jacobian !== undefined) {
      const J = detail.jacobian;
      const scalar = !Array.isArray(J[0]) || (J.length === 1 && J[0].length === 1);
      if (trace.kind === "value" || scalar) {
        const value = Array.isArray(J) ? flat(J)[0] : J;
        dl.append(el("dt", {}, "Local derivative  d " + nameOf(step.node) + " / d " + nameOf(parent)),
          el("dd", {}, numberSpan(value)));
        dl.append(el("dt", {}, "Sent  grad_out × local derivative"),
          el("dd", {}, fmt(flat(step.grad_out)[0]) + " × " + fmt(value) + " = ", numberSpan(sent, "input-grad")));
      } else {
        dl.append(el("dt", {}, "Local Jacobian  d out / d in, " + J.length + " × " + J[0].length),
          el("dd", {}, jacobianTable(J)));
        dl.append(el("dt", {}, "Sent  grad_out · J (reshaped to the input's shape)"),
          el("dd", {}, valueBlock(sent, "input-grad")));
      }
    } else {
      if (detail.jacobian_note) {
        dl.append(el("dt", {}, "Local Jacobian"), el("dd", {}, detail.jacobian_note));
      }
      dl.append(el("dt", {}, "Sent"), el("dd", {}, valueBlock(sent, "input-grad")));
    }
    if (detail.broadcast) {
      dl.append(el("dt", {}, "Broadcasting undone"),
        el("dd", {}, "the rule gave shape " + shapeText(detail.broadcast.from) + "; the engine summed " +
          "axes " + shapeText(detail.broadcast.axes) + " to get back to " + shapeText(nodes[parent].shape || []) + "."));
    }
    if (detail.accumulates === false || nodes[parent].role === "const") {
      dl.append(el("dt", {}, "Kept?"), el("dd", {}, "No: " + nameOf(parent) + " is a constant."));
    } else if (detail.of > 1) {
      const dd = el("dd", { class: "accumulate" });
      dd.append(nameOf(parent) + ".grad += this (contribution " + detail.nth + " of " + detail.of + "): ");
      dd.append(numberSpan(detail.before === null ? 0 : detail.before, "before"), " + ",
        numberSpan(sent), " = ", numberSpan(detail.after, "after"));
      if (detail.nth === 1) dd.append(el("span", { class: "note" }, " (the first: nothing before it)"));
      dl.append(el("dt", {}, "Adds up (" + nameOf(parent) + " feeds " + detail.of + " places)"), dd);
    } else if (detail.of === 1) {
      dl.append(el("dt", {}, "Adds up"), el("dd", {}, nameOf(parent) + ".grad = this (its only contribution)"));
    }
    box.append(dl);
    return box;
  }

  // ---- showing step k ------------------------------------------------------------------------

  let current = -1;

  function show(k, fromHash) {
    k = Math.max(0, Math.min(count, Math.round(Number(k) || 0)));
    if (k === current) return;
    current = k;
    page.dataset.currentStep = String(k);
    scrubber.value = String(k);
    position.textContent = "step " + k + " of " + count;
    const step = k >= 1 ? steps[k - 1] : null;
    const currentId = step ? String(step.node) : null;
    const receiving = new Set();
    if (step) {
      parentsOf(currentId).forEach((p, j) => {
        if (step.input_grads[j] !== null) receiving.add(String(p));
      });
    }
    for (const [id, g] of groups) {
      const state = stateAt(id, k);
      g.classList.toggle("current", id === currentId);
      g.classList.toggle("receives", receiving.has(id));
      for (const name of ["pending", "done"]) g.classList.toggle(name, state === name);
      const text = g.querySelector("text.grad");
      if (text) {
        const grad = gradAt(id, k);
        // A gradient still being added up is shown in italics, ending in "…".
        const partial = grad !== null && (arrivals.get(id) || []).some(([s]) => s > k) &&
          !(stepOf.get(id) <= k);
        text.textContent = grad === null ? "grad —" : clip("grad " + short(grad) + (partial ? " …" : ""));
        g.classList.toggle("partial", partial);
        text.classList.toggle("nonfinite", hasBad(grad));
      }
    }
    page.querySelectorAll("path.edge").forEach((edge) => {
      edge.classList.toggle("active", edge.dataset.to === currentId);
    });
    panel.replaceChildren(...(k === 0 ? renderBefore() : renderStep(k)));
    page.querySelectorAll(".transcript li").forEach((li, i) => {
      const on = i + 1 === k;
      li.classList.toggle("current", on);
      if (on) li.setAttribute("aria-current", "step"); else li.removeAttribute("aria-current");
    });
    const focus = currentId || String(trace.root); // before backward: where it will start
    if (groups.has(focus)) reveal(groups.get(focus));
    if (!fromHash) {
      try { history.replaceState(null, "", "#step=" + k); } catch (e) { /* a sandboxed frame */ }
    }
  }

  // Scroll the drawing (only the drawing, never the page around it) to centre a node that
  // is not wholly in view.
  function reveal(g) {
    const box = g.getBoundingClientRect();
    const frame = graphBox.getBoundingClientRect();
    const width = graphBox.clientWidth, height = graphBox.clientHeight;
    const inside = box.left >= frame.left && box.right <= frame.left + width &&
      box.top >= frame.top && box.bottom <= frame.top + height;
    if (inside) return;
    graphBox.scrollBy((box.left + box.right) / 2 - frame.left - width / 2,
      (box.top + box.bottom) / 2 - frame.top - height / 2);
  }

  function fromLocation() {
    const match = /^#step=(\d+)$/.exec(window.location.hash);
    return match ? parseInt(match[1], 10) : 0;
  }

  // ---- controls ------------------------------------------------------------------------------

  let timer = null;
  function stop() {
    if (timer !== null) clearInterval(timer);
    timer = null;
    playButton.setAttribute("aria-pressed", "false");
    playButton.textContent = "▶ Play";
  }
  function play() {
    if (timer !== null) { stop(); return; }
    if (current >= count) show(0);
    playButton.setAttribute("aria-pressed", "true");
    playButton.textContent = "⏸ Pause";
    timer = setInterval(() => {
      if (current >= count) stop(); else show(current + 1);
    }, 1000);
  }

  const actions = {
    first: () => show(0),
    prev: () => show(current - 1),
    next: () => show(current + 1),
    last: () => show(count),
    play: play,
    nonfinite: () => show(trace.first_nonfinite),
  };
  page.querySelectorAll("button[data-action]").forEach((button) => {
    button.addEventListener("click", () => {
      if (button.dataset.action !== "play") stop();
      actions[button.dataset.action]();
    });
  });
  scrubber.addEventListener("input", () => { stop(); show(scrubber.value); });

  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target;
    if (target === scrubber) return; // the slider moves itself and reports "input"
    if (target && target.closest && target.closest("button, summary, input, textarea, select") &&
        (event.key === " " || event.key === "Enter")) return;
    const keys = { ArrowLeft: "prev", ArrowRight: "next", Home: "first", End: "last", " ": "play" };
    const action = keys[event.key];
    if (!action) return;
    event.preventDefault();
    if (action !== "play") stop();
    actions[action]();
  });

  for (const [id, g] of groups) {
    const target = stepOf.get(id) || ((arrivals.get(id) || [])[0] || [])[0];
    if (target === undefined) continue;
    g.classList.add("clickable");
    g.addEventListener("click", () => { stop(); show(target); });
  }

  // Small drawings are enlarged to fill the frame (up to 1.6 times), big ones scroll.
  function fit() {
    const drawing = graphBox.querySelector("svg");
    const width = Number(drawing.getAttribute("width"));
    const height = Number(drawing.getAttribute("height"));
    const zoom = Math.min(1.6, Math.max(1, (graphBox.clientWidth - 18) / width));
    drawing.style.width = (width * zoom).toFixed(1) + "px";
    drawing.style.height = (height * zoom).toFixed(1) + "px";
  }
  fit();
  window.addEventListener("resize", fit);
  window.addEventListener("hashchange", () => show(fromLocation(), true));
  show(fromLocation(), true);
})();
