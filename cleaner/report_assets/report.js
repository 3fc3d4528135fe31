// clean-articles report: draws the summary and the current page of articles from the
// JSON blocks in this file (one per article, parsed only when shown). No network.
"use strict";
(function () {
  const PAGE = 25;
  const FAMILY_COLOURS = {
    BP: "#e8590c", BD: "#d6336c", ND: "#7048e8", WS: "#1c7ed6", RP: "#2f9e44",
    GL: "#0c8599", TR: "#f08c00", MJ: "#ae3ec9", SG: "#c92a2a", LR: "#5c940d",
  };
  const index = JSON.parse(document.getElementById("index").textContent);
  const files = index.files; // [shown, status, edits, findings, codes]
  const state = { rule: "", file: "", changedOnly: false, page: 0 };

  function family(code) { return code.replace(/[0-9]+$/, ""); }
  function colour(code) {
    const fam = family(code);
    if (FAMILY_COLOURS[fam]) return FAMILY_COLOURS[fam];
    let h = 0;
    for (const ch of fam) h = (h * 31 + ch.charCodeAt(0)) % 360;
    return `hsl(${h}, 65%, 45%)`;
  }
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") node.className = v; else node.setAttribute(k, v);
    }
    for (const c of children) node.append(c);
    return node;
  }

  function summary() {
    const box = document.getElementById("summary");
    const status = index.status;
    const totals = el("p", { class: "totals" });
    const count = (k) => status[k] || 0;
    totals.append(
      el("span", {}, `${files.length} files`),
      el("span", {}, `${count("cleaned")} changed`),
      el("span", {}, `${count("unchanged") + count("empty")} unchanged`),
      el("span", {}, `${count("guarded")} left unchanged by the damage guard`),
      el("span", {}, `${count("failed")} failed`),
    );
    const table = el("table", { id: "rules" });
    table.append(el("thead", {}, el("tr", {},
      el("th", {}, "code"), el("th", {}, "name"), el("th", {}, "safety"),
      el("th", { class: "n" }, "edits"), el("th", { class: "n" }, "findings"),
      el("th", { class: "n" }, "files"))));
    const body = el("tbody");
    const codes = Object.keys(index.rules).sort();
    for (const code of codes) {
      const [name, safety, edits, findings, nfiles] = index.rules[code];
      const swatch = el("i"); swatch.style.setProperty("--c", colour(code));
      const row = el("tr", { "data-code": code },
        el("td", {}, code), el("td", {}, name), el("td", {}, safety),
        el("td", { class: "n" }, String(edits)), el("td", { class: "n" }, String(findings)),
        el("td", { class: "n" }, String(nfiles)));
      row.addEventListener("click", () => setRule(state.rule === code ? "" : code));
      body.append(row);
    }
    table.append(body);
    const legend = el("p", { class: "legend" });
    for (const fam of [...new Set(codes.map(family))]) {
      const i = el("i"); i.style.setProperty("--c", colour(fam + "0"));
      legend.append(el("span", {}, i, fam));
    }
    box.append(totals, el("h2", {}, "Rules (findings: display-only, unsafe not applied, " +
      "withheld by the damage guard, notes)"), table, legend);
  }

  function controls() {
    const box = document.getElementById("controls");
    const rule = el("select", { id: "rule-filter" }, el("option", { value: "" }, "all rules"));
    for (const code of Object.keys(index.rules).sort()) {
      rule.append(el("option", { value: code }, `${code} ${index.rules[code][0]}`));
    }
    rule.addEventListener("change", () => setRule(rule.value));
    const file = el("input", { id: "file-filter", type: "search", placeholder: "file name contains…" });
    file.addEventListener("input", () => { state.file = file.value; state.page = 0; draw(); });
    const changed = el("input", { id: "changed-filter", type: "checkbox" });
    changed.addEventListener("change", () => { state.changedOnly = changed.checked; state.page = 0; draw(); });
    box.append(el("label", {}, "Rule ", rule), el("label", {}, "File ", file),
      el("label", {}, changed, " only files with edits or findings"),
      el("span", { id: "shown-count" }));
  }

  function setRule(code) {
    state.rule = code; state.page = 0;
    document.getElementById("rule-filter").value = code;
    for (const row of document.querySelectorAll("#rules tbody tr")) {
      row.classList.toggle("active", row.dataset.code === code);
    }
    draw();
  }

  function selected() {
    const needle = state.file.toLowerCase();
    const out = [];
    files.forEach((f, i) => {
      if (state.rule && !f[4].includes(state.rule)) return;
      if (needle && !f[0].toLowerCase().includes(needle)) return;
      if (state.changedOnly && !(f[2] || f[3] || f[1] === "failed")) return;
      out.push(i);
    });
    return out;
  }

  function article(i) {
    const data = JSON.parse(document.getElementById("a" + i).textContent);
    const node = el("article", { "data-file": data.f, "data-status": data.s },
      el("h2", {}, data.f, el("span", { class: "status " + data.s }, data.s)));
    if (data.r) node.append(el("p", { class: "reason" }, data.r));
    const pre = el("pre", { class: "text" });
    for (const [kind, text, ref] of data.g) {
      if (kind === "k") { pre.append(text); continue; }
      if (kind === "e") { pre.append(el("span", { class: "elided" }, text)); continue; }
      const [code, name, safety, message] = data.e[ref];
      const span = el("span", {
        class: "seg " + (kind === "d" ? "del" : "ins") + (text.endsWith("\n") ? " nl" : ""),
        "data-code": code,
        title: `${code} ${name} (${safety})${message ? "\n" + message : ""}`,
      }, text);
      span.style.setProperty("--c", colour(code));
      pre.append(span);
    }
    if (data.g.length) node.append(pre);
    if (data.x.length || data.n.length) {
      const list = el("ul", { class: "findings" });
      for (const [code, name, message] of data.n) {
        list.append(el("li", { class: "note", "data-code": code }, `${code} ${name}: ${message}`));
      }
      for (const [line, col, code, name, safety, message, before] of data.x) {
        const what = message || JSON.stringify(before);
        list.append(el("li", { "data-code": code, title: `${code} ${name} (${safety})` },
          `${line}:${col} ${code} ${name} (${safety}, not applied): ${what}`));
      }
      node.append(list);
    }
    return node;
  }

  function draw() {
    const shown = selected();
    const pages = Math.max(1, Math.ceil(shown.length / PAGE));
    state.page = Math.min(state.page, pages - 1);
    const main = document.getElementById("articles");
    main.replaceChildren(...shown.slice(state.page * PAGE, (state.page + 1) * PAGE).map(article));
    document.getElementById("shown-count").textContent = `${shown.length} of ${files.length} files`;
    const pager = document.getElementById("pager");
    const prev = el("button", { id: "prev" }, "‹ previous");
    const next = el("button", { id: "next" }, "next ›");
    prev.disabled = state.page === 0; next.disabled = state.page >= pages - 1;
    prev.addEventListener("click", () => { state.page--; draw(); window.scrollTo(0, 0); });
    next.addEventListener("click", () => { state.page++; draw(); window.scrollTo(0, 0); });
    pager.replaceChildren(prev, `page ${state.page + 1} of ${pages}`, next);
  }

  summary();
  controls();
  draw();
})();
