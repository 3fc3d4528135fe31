// clean-articles report: draws the current page of articles from the JSON blocks in this
// file (one per article, parsed only when shown) and the filters. The summary above is
// plain HTML (it reads without JavaScript); this only makes its rule rows clickable. No network.
"use strict";
(function () {
  const PAGE = 25;
  // Invisible characters in a changed span are drawn as ⍽ (a no-break space fix would
  // otherwise show as nothing struck through).
  const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u00a0\u00ad\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff]/g;
  const index = JSON.parse(document.getElementById("index").textContent);
  const files = index.files; // [shown, status, edits, findings, codes]
  const state = { rule: "", file: "", changedOnly: false, page: 0 };

  function colour(code) { return index.colours[code] || "#57534e"; }
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") node.className = v; else node.setAttribute(k, v);
    }
    for (const c of children) node.append(c);
    return node;
  }
  function visible(text) {
    if (!INVISIBLE.test(text)) return [text];
    INVISIBLE.lastIndex = 0;
    const parts = [];
    let at = 0;
    for (const m of text.matchAll(INVISIBLE)) {
      parts.push(text.slice(at, m.index));
      const code = m[0].codePointAt(0).toString(16).toUpperCase().padStart(4, "0");
      parts.push(el("span", { class: "invisible", title: `U+${code}` }, "⍽"));
      at = m.index + 1;
    }
    parts.push(text.slice(at));
    return parts;
  }

  function summary() {
    for (const row of document.querySelectorAll("#rules tbody tr")) {
      row.addEventListener("click", () => setRule(state.rule === row.dataset.code ? "" : row.dataset.code));
    }
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
    const fold = el("button", { id: "collapse-all", type: "button" }, "collapse all");
    fold.addEventListener("click", () => {
      const open = fold.textContent === "expand all";
      for (const d of document.querySelectorAll("#articles article > details")) d.open = open;
      fold.textContent = open ? "collapse all" : "expand all";
    });
    box.append(el("label", {}, "Rule ", rule), el("label", {}, "File ", file),
      el("label", {}, changed, " only files with edits or findings"), fold, " ",
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

  function finding(data, ref, text) {
    const [line, col, code, name, safety, message, , after] = data.x[ref];
    const why = message || (safety === "display" ? "report only" : "not applied");
    const mark = el("mark", {
      class: "seg find", "data-code": code, "data-finding": String(ref),
      title: `${code} ${name} (${safety}, not applied): ${why}\nline ${line}, column ${col}`,
    }, ...visible(text));
    mark.style.setProperty("--c", colour(code));
    const nodes = [mark];
    if (safety !== "display" && after !== text) {
      const proposed = el("span", { class: "proposed", "data-code": code }, "→ ", ...visible(after || "(removed)"));
      proposed.style.setProperty("--c", colour(code));
      nodes.push(proposed);
    }
    return nodes;
  }

  function article(i) {
    const data = JSON.parse(document.getElementById("a" + i).textContent);
    const [, , nEdits, nFound] = files[i];
    const head = el("summary", {}, el("h2", {}, data.f), el("span", { class: "status " + data.s }, data.s),
      el("span", { class: "counts" }, `${nEdits} edit${nEdits === 1 ? "" : "s"}, ${nFound} finding${nFound === 1 ? "" : "s"}`));
    const box = el("details", { open: "" }, head);
    const node = el("article", { "data-file": data.f, "data-status": data.s }, box);
    if (data.r) box.append(el("p", { class: "reason" }, data.r));
    const pre = el("pre", { class: "text" });
    for (const [kind, text, ref] of data.g) {
      if (kind === "k") { pre.append(text); continue; }
      if (kind === "e") { pre.append(el("span", { class: "elided" }, text)); continue; }
      if (kind === "f") { pre.append(...finding(data, ref, text)); continue; }
      const [code, name, safety, message] = data.e[ref];
      const span = el("span", {
        class: "seg " + (kind === "d" ? "del" : "ins") + (text.endsWith("\n") ? " nl" : ""),
        "data-code": code,
        title: `${code} ${name} (${safety})${message ? "\n" + message : ""}`,
      }, ...visible(text));
      span.style.setProperty("--c", colour(code));
      pre.append(span);
    }
    if (data.g.length) box.append(pre);
    if (data.x.length || data.n.length) {
      const list = el("ul", { class: "findings" });
      for (const [code, name, message] of data.n) {
        list.append(el("li", { class: "note", "data-code": code }, `${code} ${name}: ${message}`));
      }
      for (const [line, col, code, name, safety, message, before, after] of data.x) {
        const change = safety === "display" || after === before
          ? JSON.stringify(before) : `${JSON.stringify(before)} → ${JSON.stringify(after)}`;
        list.append(el("li", { "data-code": code, title: `${code} ${name} (${safety})` },
          `${line}:${col} ${code} ${name} (${safety}, not applied): ${change}${message ? " — " + message : ""}`));
      }
      box.append(list);
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
