/* mastery-comms web workspace: Check, Ask and Draft. Plain JavaScript, no build step. */
(function () {
  "use strict";

  const boot = JSON.parse(document.getElementById("boot").textContent);
  const $ = (id) => document.getElementById(id);

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  /** Replace a node's children, skipping empty (null) ones. */
  function fill(node, ...children) {
    node.replaceChildren(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
    return node;
  }

  function debounce(fn, ms) {
    let timer = null;
    const wrapped = (...args) => {
      clearTimeout(timer);
      timer = setTimeout(() => fn(...args), ms);
    };
    wrapped.flush = (...args) => { clearTimeout(timer); return fn(...args); };
    wrapped.cancel = () => clearTimeout(timer);
    return wrapped;
  }

  // the banner says what just happened: it clears itself once it has been read, so it never
  // goes on saying something that stopped being true ("Type a question first.")
  let sayTimer = 0;
  function say(message) {
    $("status").textContent = message || "";
    clearTimeout(sayTimer);
    if (message) sayTimer = setTimeout(() => { $("status").textContent = ""; }, 12000);
  }

  class ApiError extends Error {
    constructor(status, body, message) {
      super(message || (body && body.error && body.error.message) || friendlyStatus(status));
      this.status = status;
      this.body = body;
    }
  }

  function friendlyStatus(status) {
    if (status === 0) {
      // on this computer ("mastery serve"), the server stopped; elsewhere, the network
      const local = ["localhost", "127.0.0.1", "[::1]"].includes(location.hostname);
      return local
        ? "The workspace could not be reached: the server on this computer is not running. Start it again (mastery serve), then try again."
        : "The workspace could not be reached. Check your network connection, or ask whoever runs the workspace whether it is up.";
    }
    if (status === 401) return "Your sign-in has expired. Reload the page to sign in again (your text is kept).";
    if (status === 404) return "That item was not found; it may have been deleted in another window.";
    if (status === 413) return "That is too long to send in one go. Split it into smaller parts.";
    if (status === 429) return "Too many requests at once. Wait a few seconds and try again.";
    if (status >= 500) return "The workspace had a problem on its side. Wait a moment and try again.";
    return `The request was refused (code ${status}).`;
  }

  async function api(method, url, body, options) {
    const init = {
      method,
      headers: { "X-Requested-With": "mastery-web", Accept: "application/json" },
      credentials: "same-origin",
      signal: options && options.signal,
    };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(url, init);
    } catch (error) {
      if (error.name === "AbortError") throw error;
      // the browser's own "Failed to fetch" means the server could not be reached
      throw new ApiError(0, null);
    }
    let data = null;
    try { data = await response.json(); } catch (_) { data = null; }
    if (response.status === 401) {
      say("Your sign-in has expired. Reload the page to sign in again.");
    }
    if (!response.ok) {
      // a server's own error sentence is written for people; a proxy's HTML page is not
      const own = data && data.error && data.error.message;
      throw new ApiError(response.status, data, response.status >= 500 || !own ? friendlyStatus(response.status) : own);
    }
    return data;
  }

  /** A failed request as a sentence and a "Try again" button, in `box` (an alert box of its
   * own, or a content area that gets one). */
  function showRequestError(box, lead, error, retry) {
    const own = box.classList.contains("request-error");
    const target = own ? box : el("div", { class: "request-error", role: "alert" });
    fill(target, el("p", {}, `${lead}. ${error.message}`),
      retry ? el("button", { type: "button", class: "retry", onclick: () => {
        if (own) box.hidden = true; else box.replaceChildren();
        retry();
      } }, "Try again") : null);
    if (own) box.hidden = false; else box.replaceChildren(target);
  }

  // whether trying the same request again can help: the server was not reached, was busy or
  // failed, or the sign-in lapsed; not when it refused what was sent (4xx)
  function retriable(error) {
    return error.status === 0 || error.status >= 500 || error.status === 429 || error.status === 401;
  }

  function sourceList(sources) {
    if (!sources || !sources.length) return null;
    return el("p", { class: "sources" }, "Source: ",
      sources.map((s, i) => [i ? "; " : "",
        el("cite", {}, s.citation || s.title || s.id)]));
  }

  function fillAudiences(select, keepFirst) {
    if (!keepFirst) select.replaceChildren();
    for (const a of boot.audiences) select.append(el("option", { value: a.id }, a.name));
  }

  const escapeClosers = [];

  // ----------------------------------------------------------------- tabs
  const tabs = ["check", "ask", "draft"];
  function showTab(name, focus) {
    for (const t of tabs) {
      const tab = $(`tab-${t}`);
      const on = t === name;
      tab.setAttribute("aria-selected", on ? "true" : "false");
      tab.tabIndex = on ? 0 : -1;
      $(`panel-${t}`).hidden = !on;
      if (on && focus) tab.focus();
    }
    if (location.hash !== `#${name}`) history.replaceState(null, "", `${location.pathname}${location.search}#${name}`);
    if (name === "ask") loadBrowse();
    if (name === "draft") loadDraftList();
  }
  for (const t of tabs) {
    const tab = $(`tab-${t}`);
    tab.addEventListener("click", () => showTab(t));
    tab.addEventListener("keydown", (event) => {
      const i = tabs.indexOf(t);
      let next = null;
      if (event.key === "ArrowRight") next = tabs[(i + 1) % tabs.length];
      if (event.key === "ArrowLeft") next = tabs[(i + tabs.length - 1) % tabs.length];
      if (event.key === "Home") next = tabs[0];
      if (event.key === "End") next = tabs[tabs.length - 1];
      if (next) { event.preventDefault(); showTab(next, true); }
    });
  }

  // ================================================================ CHECK
  const text = $("check-text");
  const mirror = $("check-mirror");
  const SEVERITY_RANK = { suggestion: 1, warning: 2, error: 3 };
  const SEVERITY_ICON = { error: "\u2716", warning: "\u25B2", suggestion: "\u25CF" };
  const SEVERITY_NAME = boot.words.severityNames;  // shared words (toolkit/words.py)
  const STORE_KEY = "mastery.check";
  let allFlags = [];     // every flag of the last check
  let quotedCount = 0;   // matches inside quotations in the last check (not counted)
  let quotedFlags = [];  // those matches, listed on request
  let notChecked = false; // the text was too long to send: the summary must not read as clean
  let flags = [];        // the ones shown (not ignored, severity not filtered out)
  let checkSeq = 0;
  let checkAbort = null;
  let activeFlag = -1;
  let openedFromList = false;  // the open explanation came from the list (Escape returns there)
  let changedSpan = null; // {start, end}: the words a fix just wrote
  let ignored = new Set();
  const hiddenSeverities = new Set();
  fillAudiences($("check-audience"), true);

  const flagKey = (f) => `${f.rule}|${f.text.toLowerCase()}`;
  const rank = (f) => SEVERITY_RANK[f.severity] || 0;

  /** Suggestions as {text, kind}; a suggestion without a kind is advice (never pasted). */
  function suggestionsOf(flag) {
    return (flag.suggestions || []).map((s) => (typeof s === "string"
      ? { text: s, kind: "advice" }
      : { text: String(s.text ?? s.value ?? ""), kind: s.kind === "replacement" ? "replacement" : "advice" }))
      .filter((s) => s.text);
  }

  // ---- what survives a reload: the text, the audience and what was ignored. Each tab keeps
  // its own (sessionStorage), so two tabs checking two texts do not overwrite each other on a
  // reload; the last one written is also kept for a new tab (localStorage)
  function loadStored() {
    for (const area of [sessionStorage, localStorage]) {
      try {
        const kept = area.getItem(STORE_KEY);
        if (kept) return JSON.parse(kept) || {};
      } catch (_) { /* not readable: try the next */ }
    }
    return {};
  }
  function store() {
    const kept = JSON.stringify({
      text: text.value, audience: $("check-audience").value, ignored: Array.from(ignored),
    });
    for (const area of [sessionStorage, localStorage]) {
      try { area.setItem(STORE_KEY, kept); } catch (_) { /* private mode or full: not kept */ }
    }
  }
  const storeSoon = debounce(store, 300);

  function autoGrow() {
    // the textarea grows with its text, so it never scrolls inside and the
    // highlights behind it stay exactly under the words
    text.style.height = "auto";
    text.style.height = `${Math.max(text.scrollHeight + 2, 300)}px`;
  }

  /** Highlights as nested marks: the text is cut wherever a flag starts or ends; each piece
   * wraps the flags covering it, least severe outside, so the most severe is drawn on top. */
  function renderMirror() {
    autoGrow();
    const value = text.value;
    const spans = flags.map((f, i) => ({ start: f.start, end: f.end, i, f }))
      .filter((s) => s.start < s.end && s.end <= value.length);
    if (changedSpan && changedSpan.end <= value.length) spans.push({ ...changedSpan, i: -1, f: null });
    const cuts = new Set([0, value.length]);
    for (const s of spans) { cuts.add(s.start); cuts.add(s.end); }
    const points = Array.from(cuts).sort((a, b) => a - b);
    const parts = [];
    for (let k = 0; k + 1 < points.length; k++) {
      const a = points[k], b = points[k + 1];
      const covering = spans.filter((s) => s.start <= a && s.end >= b)
        // outermost first: least severe, then the longest
        .sort((x, y) => (x.f ? rank(x.f) : 0) - (y.f ? rank(y.f) : 0) || (y.end - y.start) - (x.end - x.start));
      let node = document.createTextNode(value.slice(a, b));
      for (let c = covering.length - 1; c >= 0; c--) {
        const s = covering[c];
        const cls = s.f ? `flag ${s.f.severity}${s.i === activeFlag ? " active" : ""}` : "changed";
        node = el("mark", { class: cls, "data-index": s.f ? s.i : null }, node);
      }
      parts.push(node);
    }
    parts.push(document.createTextNode("\n"));
    mirror.replaceChildren(...parts);
  }

  function groupOf(i) {
    const wanted = flagKey(flags[i]);
    return flags.map((f, k) => (flagKey(f) === wanted ? k : -1)).filter((k) => k >= 0);
  }

  function sevBadge(severity) {
    return el("span", { class: `sev ${severity}` },
      el("span", { class: "sev-icon", "aria-hidden": "true" }, SEVERITY_ICON[severity] || "\u25CF"), " ",
      SEVERITY_NAME[severity] || severity);
  }

  function renderFlagList() {
    const list = $("flag-list");
    list.replaceChildren();
    const seen = new Set();
    // most severe first, then in reading order
    const order = flags.map((f, i) => i).sort((a, b) => rank(flags[b]) - rank(flags[a]) || flags[a].start - flags[b].start);
    for (const i of order) {
      const flag = flags[i];
      const key = flagKey(flag);
      if (seen.has(key)) continue;
      seen.add(key);
      const group = groupOf(i);
      const pressed = group.includes(activeFlag);
      const label = flag.rule === "long-sentence" || flag.text.length > 60
        ? `“${flag.text.slice(0, 50).trim()}…”` : `“${flag.text}”`;
      list.append(el("li", {},
        el("button", {
          type: "button", class: `flag-button ${flag.severity}`, "data-index": i,
          "aria-pressed": pressed ? "true" : "false",
          // repeated phrases share one entry; each press moves to the next occurrence
          onclick: () => {
            openedFromList = true;
            showFlag(pressed ? (group.find((k) => k > activeFlag) ?? group[0]) : group[0], true);
          },
        }, sevBadge(flag.severity), " ", el("span", { class: "phrase" }, label), " ",
        group.length > 1 ? el("span", { class: "count" }, `×${group.length}`) : null)));
    }
    if (!flags.length) {
      list.append(el("li", { class: "empty" }, !text.value.trim() ? "Type or paste text to check it."
        : allFlags.length ? "Nothing shown: see the filters above." : "Nothing flagged."));
    }
    const note = $("ignored-note");
    const nIgnored = allFlags.filter((f) => ignored.has(flagKey(f))).length;
    note.hidden = !nIgnored;
    if (nIgnored) {
      note.replaceChildren(`${nIgnored} flag${nIgnored > 1 ? "s" : ""} ignored in this text. `,
        el("button", { type: "button", class: "link", onclick: () => {
          ignored = new Set(); store(); applyFilters(); say("Ignored flags are shown again.");
        } }, "Show them again"));
    }
    for (const node of document.querySelectorAll("[data-count]")) {
      const sev = node.getAttribute("data-count");
      const n = allFlags.filter((f) => f.severity === sev && !ignored.has(flagKey(f))).length;
      node.textContent = text.value.trim() ? `${n}` : "";
    }
  }

  function closeFlag(returnFocus) {
    const detail = $("flag-detail");
    const wasOpen = !detail.hidden;
    const closing = activeFlag >= 0 ? flags[activeFlag] : null;
    detail.hidden = true;
    document.body.classList.remove("sheet-open");
    if (activeFlag !== -1) { activeFlag = -1; renderMirror(); renderFlagList(); }
    if (wasOpen && returnFocus) {
      // back where the user was: the flag's entry in the list, or the flagged words
      const index = closing ? flags.indexOf(closing) : -1;
      const entry = openedFromList && index >= 0
        ? $("flag-list").querySelector(`.flag-button[data-index="${index}"]`)
          || [...$("flag-list").querySelectorAll(".flag-button")].find((b) => groupOf(Number(b.dataset.index)).includes(index))
        : null;
      if (entry) entry.focus();
      else {
        text.focus();
        if (closing) text.setSelectionRange(closing.start, closing.start);
      }
    }
    openedFromList = false;
    return wasOpen;
  }

  function showFlag(i, focusDetail) {
    activeFlag = i;
    const detail = $("flag-detail");
    const flag = flags[i];
    renderMirror();
    renderFlagList();
    if (!flag) { closeFlag(false); return; }
    const finding = flag.finding || {};
    const group = groupOf(i);
    const suggestions = suggestionsOf(flag);
    const replacements = suggestions.filter((s) => s.kind === "replacement");
    const advice = suggestions.filter((s) => s.kind !== "replacement");
    // other flags on the same words (a phrase inside a long sentence): one click away
    const others = flags.map((f, k) => k).filter((k) => k !== i &&
      flags[k].start < flag.end && flags[k].end > flag.start);
    const shortText = flag.text.length > 80 ? `${flag.text.slice(0, 70).trim()}…` : flag.text;
    fill(detail,
      el("div", { class: "detail-head" },
        el("h3", { id: "flag-detail-title" }, sevBadge(flag.severity), " ", `“${shortText}”`,
          group.length > 1 ? el("span", { class: "meta" }, ` (${group.indexOf(i) + 1} of ${group.length})`) : null),
        el("button", { type: "button", class: "close", "aria-label": "Close the explanation",
          onclick: () => closeFlag(true) }, "\u00D7")),
      el("p", { class: "message" }, flag.message),
      replacements.length ? el("div", { class: "suggestions" }, el("p", {}, "Replace with:"),
        replacements.map((s) => el("p", { class: "replacement" },
          el("button", { type: "button", class: "apply", onclick: () => applySuggestion(i, s.text) }, `Use “${s.text}”`),
          group.length > 1 ? [" ", el("button", {
            type: "button", class: "apply-all", onclick: () => applyEverywhere(group, s.text),
          }, `Use it in all ${group.length} places`)] : null))) : null,
      advice.length ? el("div", { class: "advice-box" },
        el("p", {}, replacements.length ? "Or rework the sentence:" : "How to fix it (reword the sentence in your own words):"),
        el("ul", {}, advice.map((s) => el("li", {}, s.text)))) : null,
      !suggestions.length ? el("p", { class: "hint" }, "Reword this in your own words.") : null,
      finding.title ? el("div", { class: "finding" },
        el("p", {}, el("strong", {}, "Finding: "), finding.title),
        finding.summary ? el("p", {}, finding.summary) : null) : null,
      sourceList(flag.sources),
      others.length ? el("div", { class: "others" }, el("p", {}, "Also flagged here:"),
        others.map((k) => el("button", { type: "button", class: `chip ${flags[k].severity}`,
          onclick: () => showFlag(k, true) }, sevBadge(flags[k].severity), " ",
        flags[k].text.length > 40 ? `${flags[k].text.slice(0, 36).trim()}…` : flags[k].text))) : null,
      el("p", { class: "detail-actions" },
        el("button", { type: "button", class: "link", onclick: () => ignoreFlag(flag) },
          group.length > 1 ? `Ignore “${shortText}” in this text (${group.length} places)` : "Ignore in this text")),
    );
    detail.hidden = false;
    document.body.classList.toggle("sheet-open", isPhone());
    if (focusDetail) {
      const first = detail.querySelector("button.apply");
      (first || detail).focus({ preventScroll: true });
    }
    if (!isPhone()) keepInView(detail);
    else {
      // the sheet covers the lower part of the screen: bring the phrase above it
      const mark = mirror.querySelector(`mark[data-index="${i}"]`);
      if (mark) window.scrollBy({ top: mark.getBoundingClientRect().top - 90 });
    }
  }

  function isPhone() { return window.matchMedia("(max-width: 760px)").matches; }
  function keepInView(node) {
    const box = node.getBoundingClientRect();
    if (box.top < 0 || box.top > window.innerHeight - 80) node.scrollIntoView({ block: "nearest" });
  }

  function ignoreFlag(flag) {
    // where the keyboard was in the list, so focus can stay there (it fell to the page)
    const buttons = [...document.querySelectorAll(".flag-button")];
    const at = Math.max(0, buttons.findIndex((b) => b.textContent.includes(flag.text.slice(0, 30))));
    ignored.add(flagKey(flag));
    store();
    closeFlag(true);
    applyFilters();
    const left = document.querySelectorAll(".flag-button");
    const next = left[Math.min(at, left.length - 1)];
    if (next) next.focus({ preventScroll: true }); else text.focus({ preventScroll: true });
    say(`“${flag.text.length > 40 ? flag.text.slice(0, 36) + "…" : flag.text}” is ignored in this text.`);
  }

  function applyFilters() {
    flags = allFlags.filter((f) => !ignored.has(flagKey(f)) && !hiddenSeverities.has(f.severity));
    activeFlag = -1;
    renderMirror();
    renderFlagList();
    summarise();
  }

  function summarise() {
    const value = text.value;
    if (!value.trim()) { $("check-summary").textContent = ""; return; }
    if (notChecked) {
      $("check-summary").textContent = "Not checked: the text is too long to check at once (see the list above).";
      return;
    }
    const counted = allFlags.filter((f) => !ignored.has(flagKey(f)));
    const by = (sev) => counted.filter((f) => f.severity === sev).length;
    const parts = [["error", "error"], ["warning", "warning"], ["suggestion", "suggestion"]]
      .map(([sev, word]) => [by(sev), word]).filter(([n]) => n)
      .map(([n, word]) => `${n} ${word}${n > 1 ? "s" : ""}`);
    const words = (value.match(/\S+/g) || []).length;
    // a simple score: 100 less 10 per error, 4 per warning, 1 per suggestion, per 100 words
    const per = Math.max(1, words / 100);
    const score = Math.max(0, Math.round(100 - (10 * by("error") + 4 * by("warning") + by("suggestion")) / per));
    const aside = quotedCount
      ? ` ${quotedCount} match${quotedCount > 1 ? "es" : ""} inside quotations not counted.` : "";
    // each rule stops at a number of findings per text: a long text's count is then short
    const perRule = {};
    for (const f of allFlags) perRule[f.rule] = (perRule[f.rule] || 0) + 1;
    const limit = boot.maxFlagsPerRule || 200;
    const short = Object.values(perRule).some((n) => n >= limit)
      ? ` Some phrases stopped at ${limit} findings each: there are more than counted.` : "";
    $("check-summary").textContent = (parts.length
      ? `${parts.join(", ")} in ${words} words · wording score ${score}/100.`
      : `Nothing flagged in ${words} words · wording score 100/100.`) + aside + short;
    renderQuoted();
  }

  function renderQuoted() {
    const box = $("quoted-matches");
    const shown = text.value.trim() && !notChecked ? quotedFlags : [];
    box.hidden = !shown.length;
    if (!shown.length) { box.open = false; $("quoted-list").replaceChildren(); return; }
    $("quoted-summary").textContent =
      `Show the ${shown.length} match${shown.length > 1 ? "es" : ""} inside quotations`;
    $("quoted-list").replaceChildren(...shown.map((f) => el("li", {},
      el("strong", {}, `“${f.text}”`), ` — ${f.message || f.rule}`)));
  }

  /** Replace text[start:end] with ``replacement`` as an edit the browser can undo (Ctrl+Z
   * takes it back, then the user's own typing before it); assigning ``text.value`` would
   * empty the undo history. */
  function replaceRange(start, end, replacement) {
    text.focus({ preventScroll: true }); // a phone keeps its place (it jumped to the list)
    text.setSelectionRange(start, end);
    let done = false;
    try { done = document.execCommand("insertText", false, replacement); } catch (_) { done = false; }
    if (!done) {
      text.value = text.value.slice(0, start) + replacement + text.value.slice(end);
      text.dispatchEvent(new Event("input"));
    }
  }

  /** ``spans``: each change as now in the text, in order ({ start, before, after }). The
   * Undo link takes back only these changes, keeping what was typed since. */
  function showFix(label, after, spans) {
    changedSpan = { start: spans[0].start, end: spans[0].start + after.length };
    const note = $("fix-note");
    note.replaceChildren(
      el("span", {}, "Changed ", el("del", {}, label), " to ", el("ins", {}, after), ". "),
      el("button", { type: "button", class: "link", onclick: () => {
        const intact = spans.every((c) => text.value.slice(c.start, c.start + c.after.length) === c.after);
        note.hidden = true; changedSpan = null;
        if (!intact) { say("The words changed since; press Ctrl+Z to take the change back."); return; }
        const from = spans[0].start;
        const last = spans[spans.length - 1];
        const to = last.start + last.after.length;
        let back = "";
        let at = from;
        for (const c of spans) { back += text.value.slice(at, c.start) + c.before; at = c.start + c.after.length; }
        replaceRange(from, to, back);
        store(); runCheck(); say("The change was undone.");
      } }, "Undo"), " ",
      el("button", { type: "button", class: "link", onclick: () => { note.hidden = true; changedSpan = null; renderMirror(); } }, "Dismiss"));
    note.hidden = false;
  }

  function applySuggestion(i, suggestion) {
    const flag = flags[i];
    if (!flag || text.value.slice(flag.start, flag.end) !== flag.text) {
      say("The text changed; checking again…");
      runCheck();
      return;
    }
    const caret = flag.start + suggestion.length;
    closeFlag(false);
    replaceRange(flag.start, flag.end, suggestion);
    showFix(flag.text, suggestion, [{ start: flag.start, before: flag.text, after: suggestion }]);
    allFlags = []; quotedCount = 0; quotedFlags = []; flags = [];
    renderMirror();
    text.setSelectionRange(caret, caret);
    store();
    runCheck();
  }

  function applyEverywhere(group, suggestion) {
    const value = text.value;
    // the places still as flagged, in order; replaced in one edit (one Ctrl+Z takes it back)
    const places = group.map((k) => flags[k]).filter((f) => value.slice(f.start, f.end) === f.text)
      .sort((a, b) => a.start - b.start);
    if (!places.length) { runCheck(); return; }
    const from = places[0].start;
    const to = places[places.length - 1].end;
    let middle = "";
    let at = from;
    const spans = [];
    for (const f of places) {
      middle += value.slice(at, f.start);
      spans.push({ start: from + middle.length, before: f.text, after: suggestion });
      middle += suggestion;
      at = f.end;
    }
    closeFlag(false);
    replaceRange(from, to, middle);
    const first = places[0];
    showFix(`${first.text}${places.length > 1 ? ` (${places.length} places)` : ""}`, suggestion, spans);
    allFlags = []; quotedCount = 0; quotedFlags = []; flags = [];
    renderMirror();
    store();
    runCheck();
  }

  function renderReadability(r) {
    const box = $("readability");
    if (!r) { box.hidden = true; return; }
    const meter = $("readability-meter");
    // another language: the grade formulas are English's, so no grade and no meter
    meter.hidden = r.english === false;
    $("readability-label").hidden = r.english === false;
    if (r.english === false) {
      $("readability-text").textContent = "Readability not scored: this text does not look like English.";
      $("readability-advice").replaceChildren(...(r.advice || []).map((a) => el("li", {}, a)));
      box.hidden = false;
      return;
    }
    const grade = Number(r.flesch_kincaid_grade ?? r.grade ?? 0);
    const target = r.target || {};
    const max = Number(target.max_grade ?? 12);
    meter.max = Math.max(16, Math.ceil(grade));
    meter.low = max;
    meter.high = max + 2;
    meter.optimum = Math.max(0, max - 2);
    meter.value = Math.max(0, grade);
    const who = target.audience ? ` for ${audienceName(target.audience)}` : "";
    $("readability-text").textContent = `Grade ${grade.toFixed(1)} (aim for ${max} or lower${who}): ` +
      (r.meets_target !== false ? "meets the target"
        : grade > max ? "harder to read than the target"
        : "the grade is fine, but see the advice below") +
      (r.reliable === false ? "; the text is too short to judge reliably" : "");
    $("readability-advice").replaceChildren(...(r.advice || []).map((a) => el("li", {}, a)));
    box.hidden = false;
  }

  // "Participating schools" -> "participating school", "Outreach activities" -> "outreach
  // activity"; null when the label is not one plural noun at its end ("Metrics and
  // milestones", "Requests for flexibility", "People available to talk"): the page then says
  // "item 2" rather than cut a word short
  function singularLabel(label) {
    const words = label.toLowerCase().split(/\s+/);
    const last = words[words.length - 1];
    const joins = /^(and|or|for|to|of|with|can|from|by|in|on|available|who|that)$/;
    if (words.length > 3 || words.some((w) => joins.test(w)) || !/[^s]s$/.test(last)) return null;
    const head = /ies$/.test(last) ? last.replace(/ies$/, "y")
      : /(ches|shes|sses|xes)$/.test(last) ? last.replace(/es$/, "") : last.replace(/s$/, "");
    return [...words.slice(0, -1), head].join(" ");
  }

  function audienceName(id) {
    const a = boot.audiences.find((x) => x.id === id);
    return a ? a.name : id;
  }

  /** The server counts characters (code points); the text box counts UTF-16 units, two for
   * an emoji: the flags' offsets in the box's units, so highlights and "Use" land on the
   * flagged words after an emoji too. */
  function inUnits(value, list) {
    if (!/[\uD800-\uDFFF]/.test(value)) return list.slice();
    const units = [];
    let at = 0;
    for (const ch of value) { units.push(at); at += ch.length; }
    units.push(at);
    const unit = (i) => (i >= 0 && i < units.length ? units[i] : i);
    return list.map((f) => ({ ...f, start: unit(f.start), end: unit(f.end) }));
  }

  async function runCheck() {
    const value = text.value;
    const seq = ++checkSeq;
    if (checkAbort) checkAbort.abort();
    if (!value.trim()) {
      notChecked = false;
      allFlags = []; quotedCount = 0; quotedFlags = []; applyFilters(); renderReadability(null); closeFlag(false);
      return;
    }
    if (value.length > boot.maxCheckChars) {
      // refused by the server anyway: say so where the flags would be, not below the text,
      // and the summary must not read as a clean result
      notChecked = true;
      allFlags = []; quotedCount = 0; quotedFlags = []; applyFilters(); renderReadability(null); closeFlag(false);
      $("flag-list").replaceChildren(el("li", { class: "empty" },
        `This text has ${value.length.toLocaleString("en-US")} characters; the checker takes at most ` +
        `${boot.maxCheckChars.toLocaleString("en-US")} at a time. Check it in parts, or run ` +
        "mastery check FILE on the command line."));
      $("check-error").hidden = true;
      return;
    }
    checkAbort = new AbortController();
    try {
      const report = await api("POST", "/api/check",
        { text: value, audience: $("check-audience").value || null }, { signal: checkAbort.signal });
      if (seq !== checkSeq || text.value !== value) return;
      notChecked = false;
      allFlags = inUnits(value, report.flags || []).sort((a, b) => a.start - b.start || b.end - a.end);
      quotedFlags = inUnits(value, report.quoted || []);
      quotedCount = quotedFlags.length;
      const keep = activeFlag >= 0 && flags[activeFlag] ? flagKey(flags[activeFlag]) : null;
      applyFilters();
      if (keep) {
        const again = flags.findIndex((f) => flagKey(f) === keep);
        if (again >= 0) showFlag(again, false); else closeFlag(false);
      } else if (!$("flag-detail").hidden) closeFlag(false);
      renderReadability(report.readability);
      $("check-error").hidden = true;
    } catch (error) {
      if (error.name === "AbortError") return;
      if (seq !== checkSeq) return;
      // a retry helps when the server could not be reached, not when the text is refused
      showRequestError($("check-error"), "The text could not be checked", error, retriable(error) ? runCheck : null);
    }
  }
  const checkSoon = debounce(runCheck, 350);

  text.addEventListener("input", () => {
    // positions of old flags no longer match: hide highlights until the new check arrives
    allFlags = []; quotedCount = 0; quotedFlags = []; flags = []; activeFlag = -1; changedSpan = null; renderMirror(); checkSoon(); storeSoon();
  });
  function caretFlag() {
    const at = text.selectionStart;
    // the most severe flag at the caret, the innermost when two are as severe
    let best = -1;
    flags.forEach((f, i) => {
      if (at < f.start || at > f.end) return;
      if (best < 0 || rank(f) > rank(flags[best]) ||
          (rank(f) === rank(flags[best]) && f.end - f.start < flags[best].end - flags[best].start)) best = i;
    });
    if (best >= 0 && best !== activeFlag) { openedFromList = false; showFlag(best, false); }
    // the caret left every flag: the explanation of the last one no longer applies
    else if (best < 0 && activeFlag >= 0 && !openedFromList) closeFlag(false);
  }
  text.addEventListener("click", caretFlag);
  text.addEventListener("keyup", (e) => { if (e.key.startsWith("Arrow") || e.key === "Home" || e.key === "End") caretFlag(); });
  $("check-audience").addEventListener("change", () => {
    store(); runCheck();
    if (docxFile && !$("docx-result").hidden) checkDocx(docxFile); // the Word file too
  });
  for (const box of document.querySelectorAll(".sev-filter input")) {
    box.addEventListener("change", () => {
      const sev = box.getAttribute("data-sev");
      if (box.checked) hiddenSeverities.delete(sev); else hiddenSeverities.add(sev);
      closeFlag(false);
      applyFilters();
      if (docxFound.length) renderDocxFlags();
    });
  }
  $("check-clear").addEventListener("click", () => {
    if (text.value.trim() && !confirm("Clear the text? It is not saved anywhere else.")) return;
    text.value = ""; ignored = new Set(); changedSpan = null; $("fix-note").hidden = true;
    store(); runCheck(); text.focus();
  });
  window.addEventListener("resize", debounce(renderMirror, 150));

  {
    const saved = loadStored();
    if (typeof saved.text === "string" && saved.text) text.value = saved.text;
    if (Array.isArray(saved.ignored)) ignored = new Set(saved.ignored.map(String));
    if (saved.audience && boot.audiences.some((a) => a.id === saved.audience)) $("check-audience").value = saved.audience;
    renderMirror();
    renderFlagList();
    if (text.value.trim()) runCheck();
  }

  // ---- a Word document: checked by paragraph, downloadable with a comment on each finding
  let docxFile = null;
  async function postDocx(file, annotate) {
    const form = new FormData();
    form.append("file", file, file.name);
    if ($("check-audience").value) form.append("audience", $("check-audience").value);
    if (annotate) form.append("annotate", "true");
    let response;
    try {
      response = await fetch("/api/check/docx", { method: "POST", body: form, credentials: "same-origin",
        headers: { "X-Requested-With": "mastery-web" } });
    } catch (_) { throw new ApiError(0, null); }
    if (!response.ok) {
      let body = null;
      try { body = await response.json(); } catch (_) { body = null; }
      const own = body && body.error && body.error.message;
      throw new ApiError(response.status, body, response.status >= 500 || !own ? friendlyStatus(response.status) : own);
    }
    return response;
  }

  async function checkDocx(file) {
    if (!file) return;
    docxFile = file;
    $("docx-error").hidden = true;
    $("docx-summary").textContent = `Checking “${file.name}”…`;
    $("docx-flags").replaceChildren();
    $("docx-result").hidden = false;
    try {
      const report = await (await postDocx(file, false)).json();
      const found = report.flags || [];
      $("docx-title").textContent = `Word document: ${file.name}`;
      const inQuotes = (report.quoted || []).length;
      $("docx-summary").textContent = (found.length
        ? `${found.length} finding${found.length > 1 ? "s" : ""} in ${report.paragraphs} paragraphs.`
        : `Nothing flagged in ${report.paragraphs} paragraphs.`) +
        (inQuotes ? ` ${inQuotes} match${inQuotes > 1 ? "es" : ""} inside quotations not counted.` : "");
      docxFound = found;
      renderDocxFlags();
    } catch (error) {
      $("docx-result").hidden = true;
      // a file the server refused (not Word, too big) fails the same way again: no "Try again"
      showRequestError($("docx-error"), `“${file.name}” could not be checked`, error,
        retriable(error) ? () => checkDocx(file) : null);
    }
  }

  /** The Word document's findings, as the severity filters show them (the same filters as
   * the text's). */
  let docxFound = [];
  function renderDocxFlags() {
    const shownFlags = docxFound.filter((f) => !hiddenSeverities.has(f.severity));
    const hidden = docxFound.length - shownFlags.length;
    $("docx-hidden").textContent = hidden ? `${hidden} hidden by the filters above.` : "";
    $("docx-flags").replaceChildren(...shownFlags.map((f) => {
        const where = f.location || {};
        const place = [where.section ? `under “${where.section}”` : null,
          where.table ? `table ${where.table}, row ${where.row}, cell ${where.cell}` : null,
          `${where.part && where.part !== "body" ? where.part + " " : ""}paragraph ${where.paragraph}`].filter(Boolean).join(", ");
        const advice = suggestionsOf(f);
        const replace = advice.filter((a) => a.kind === "replacement").map((a) => a.text);
        const guide = advice.filter((a) => a.kind !== "replacement").map((a) => a.text);
        return el("li", { class: "docx-flag" },
          el("p", {}, sevBadge(f.severity), " ", el("strong", {}, `“${f.text}”`), el("span", { class: "meta" }, ` (${place})`)),
          where.excerpt ? el("p", { class: "excerpt" }, where.excerpt) : null,
          el("p", {}, f.message),
          replace.length ? el("p", {}, el("strong", {}, "Replace with: "), replace.join("; ")) : null,
          guide.length ? el("p", {}, el("strong", {}, "How to fix it: "), guide.join(" ")) : null,
          sourceList(f.sources));
      }));
  }

  $("docx-file").addEventListener("change", () => checkDocx($("docx-file").files[0]));
  $("docx-close").addEventListener("click", () => { $("docx-result").hidden = true; $("docx-file").value = ""; docxFile = null; });
  $("docx-download").addEventListener("click", async () => {
    if (!docxFile) return;
    try {
      const response = await postDocx(docxFile, true);
      const blob = await response.blob();
      const link = el("a", { href: URL.createObjectURL(blob), download: downloadName(response, "checked.docx") });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 10000);
    } catch (error) {
      showRequestError($("docx-error"), "The commented copy could not be made", error, () => $("docx-download").click());
    }
  });
  const editorBox = $("check-editor");
  editorBox.addEventListener("dragover", (event) => {
    if (Array.from(event.dataTransfer.types || []).includes("Files")) { event.preventDefault(); editorBox.classList.add("drop"); }
  });
  editorBox.addEventListener("dragleave", () => editorBox.classList.remove("drop"));
  editorBox.addEventListener("drop", (event) => {
    const file = event.dataTransfer.files && event.dataTransfer.files[0];
    editorBox.classList.remove("drop");
    if (!file) return;
    event.preventDefault();
    checkDocx(file);
  });

  // ================================================================== ASK
  fillAudiences($("ask-audience"), true);
  fillAudiences($("messages-audience"), false);
  let lastQuestion = "";
  let lastAnswer = null;

  function sourcesText(sources) {
    return (sources || []).map((s) => `- ${s.citation || s.title || s.id}`).join("\n");
  }

  async function copyAnswer(ans, button) {
    const sources = (ans.sources || []).length ? `\n\nSources:\n${sourcesText(ans.sources)}` : "";
    // a myth's title is the myth itself: labelled, so a pasted email never states it as true
    const plain = ans.kind === "myth"
      ? `Myth: ${ans.title || ""}\n\nFact: ${ans.answer || ""}${sources}\n`
      : `${ans.title || ""}\n\n${ans.answer || ""}${sources}\n`;
    try {
      await navigator.clipboard.writeText(plain);
      const label = button.textContent;
      button.textContent = "Copied";
      setTimeout(() => { button.textContent = label; }, 2500);
      say("The answer and its sources are copied: paste them into your email.");
    } catch (_) {
      // no clipboard permission (or not a secure page): select the text for Ctrl+C instead
      const area = el("textarea", { class: "copy-area", rows: 8, "aria-label": "Answer with sources, to copy", readonly: true });
      area.value = plain;
      button.after(area);
      area.select();
      say("Press Ctrl+C (or ⌘C) to copy the selected answer.");
    }
  }

  function choiceButtons(list) {
    return list.map((s) => el("button", { type: "button", class: "chip", onclick: () => lookup(s.id, false) }, s.title || s.id));
  }

  function renderAnswer(ans, question) {
    const box = $("ask-result");
    lastAnswer = ans;
    box.replaceChildren();
    const choices = ans.choices || [];
    if (!ans.id && choices.length) {
      box.append(el("div", { class: "did-you-mean" },
        el("h3", {}, "Did you mean…?"),
        el("p", {}, choices.length === 1 ? "This topic is close to your question:"
          : "The question fits more than one answer. Pick the closest:"),
        el("div", { class: "choices" }, choiceButtons(choices))));
    } else if (!ans.id && ans.redirect) {
      box.append(el("p", { class: "no-answer" }, boot.words.outOfScope),
        el("p", {}, ans.redirect));
    } else if (!ans.id && ans.reason === "choices") {
      box.append(el("p", { class: "no-answer" }, "A few topics are close to your question. Which one did you mean?"));
    } else if (!ans.id && ans.reason === "no-list") {
      box.append(el("p", { class: "no-answer" }, `${boot.words.noAnswer} ${boot.words.noList}`));
    } else if (!ans.id && ans.reason === "other-language") {
      box.append(el("p", { class: "no-answer" }, englishOnly(question)));
    } else if (!ans.id) {
      box.append(el("p", { class: "no-answer" }, `${boot.words.noAnswer} ${boot.words.noted}`));
    } else {
      const who = ans.local ? el("p", { class: "meta" }, "Your district's own answer, from its toolkit copy.")
        : ans.audience ? el("p", { class: "meta" }, `Answer written for ${audienceName(ans.audience)}.`) : null;
      const myth = ans.kind === "myth";
      const paragraphs = (ans.answer || "").split(/\n{2,}/).map((p) => el("p", {}, p));
      if (myth && paragraphs.length) paragraphs[0].prepend(el("span", { class: "label" }, "Fact: "));
      box.append(...[
        myth ? el("h3", {}, el("span", { class: "label" }, "Myth: "), ans.title || "") : el("h3", {}, ans.title || ""),
        who,
        el("div", { class: "answer-text" }, paragraphs),
        sourceList(ans.sources),
        el("div", { class: "answer-actions" },
          el("button", { type: "button", "aria-pressed": ans.full ? "true" : "false",
            onclick: () => lookup(ans.id, !ans.full) }, ans.full ? "Show short answer" : "Show full answer"),
          el("button", { type: "button", onclick: (e) => copyAnswer(ans, e.currentTarget) }, "Copy answer with sources"),
          el("span", { class: "feedback" },
            el("button", { type: "button", onclick: (e) => feedback(question, ans.id, true, e.currentTarget) }, "Helpful"),
            el("button", { type: "button", onclick: (e) => feedback(question, ans.id, false, e.currentTarget) }, "Not helpful"))),
      ].filter(Boolean));
      if (choices.length) {
        box.append(el("div", { class: "did-you-mean" }, el("p", {}, "Or did you mean:"), choiceButtons(choices)));
      }
    }
    const related = (ans.suggestions || []).filter((s) => !choices.some((c) => c.id === s.id));
    if (related.length) {
      box.append(el("div", { class: "did-you-mean" }, el("p", {}, ans.id ? "Related topics:"
        : ans.reason === "other-language" ? closestInEnglish(question) : "Did you mean:"),
        choiceButtons(related)));
    }
  }

  async function ask(question) {
    lastQuestion = question;
    $("ask-result").replaceChildren(el("p", { class: "hint" }, "Looking…"));
    try {
      const ans = await api("POST", "/api/ask", { question, audience: $("ask-audience").value || null });
      renderAnswer(ans, question);
    } catch (error) {
      $("ask-result").replaceChildren();
      showRequestError($("ask-result"), "The question could not be answered", error, () => ask(question));
    }
  }

  async function lookup(id, full) {
    try {
      // "Asked by" applies to a chosen entry too: its audience's own answer when it has one
      const ans = await api("POST", "/api/ask", { question: lastQuestion || id, id, full,
        audience: $("ask-audience").value || null });
      renderAnswer(ans, lastQuestion);
      const heading = $("ask-result").querySelector("h3");
      if (heading) { heading.tabIndex = -1; heading.focus(); }
    } catch (error) {
      const box = el("div", { class: "request-error", role: "alert" });
      $("ask-result").prepend(box);
      showRequestError(box, "That answer could not be opened", error, () => { box.remove(); lookup(id, full); });
    }
  }

  $("ask-audience").addEventListener("change", () => {
    try { localStorage.setItem("mastery.askAudience", $("ask-audience").value); } catch (_) { /* not kept */ }
    if (lastAnswer && lastAnswer.id) lookup(lastAnswer.id, lastAnswer.full);
  });
  try {
    const kept = localStorage.getItem("mastery.askAudience");
    if (kept && boot.audiences.some((a) => a.id === kept)) $("ask-audience").value = kept;
  } catch (_) { /* not kept */ }

  async function feedback(question, id, helpful, button) {
    try {
      await api("POST", "/api/feedback", { question: question || id, answer_id: id, helpful,
        audience: $("ask-audience").value || null });
      button.parentElement.replaceChildren(el("span", {}, helpful ? "Thanks!" : "Thanks — noted for the content editors."));
    } catch (error) { say(`Your feedback was not sent. ${error.message}`); }
  }

  $("ask-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const q = $("ask-question").value.trim();
    if (!q) {
      // the answer below belonged to the question that was there: not to an empty box
      $("ask-result").replaceChildren();
      $("ask-question").focus(); say("Type a question first."); return;
    }
    ask(q);
  });

  let browseLoaded = false;
  async function loadBrowse() {
    if (browseLoaded) return;
    browseLoaded = true;
    try {
      $("myth-list").replaceChildren(el("p", { class: "hint" }, "Loading…"));
      const myths = await api("GET", "/api/myths");
      $("myth-list").replaceChildren(...myths.map((m) => el("details", { class: "myth" },
        el("summary", {}, el("span", { class: "label" }, "Myth: "), m.myth),
        el("p", {}, el("strong", {}, "Fact: "), m.fact),
        el("p", { class: "evidence" }, m.evidence),
        sourceList(m.sources))));
    } catch (error) {
      // not loaded: the next visit to the tab (or "Try again") asks again
      browseLoaded = false;
      showRequestError($("myth-list"), "The myths could not be loaded", error, loadBrowse);
      return;
    }
    loadMessages();
  }

  async function loadMessages() {
    const audience = $("messages-audience").value;
    if (!audience) return;
    try {
      const m = await api("GET", `/api/messages?audience=${encodeURIComponent(audience)}`);
      fill($("messages"),
        el("p", { class: "hint" }, m.audience.description),
        el("h4", {}, "Key messages"),
        el("ul", {}, m.key_messages.map((k) => el("li", {}, k.text, " ", sourceList(k.sources)))),
        el("h4", {}, "Talking points"),
        el("ul", {}, m.talking_points.map((k) => el("li", {}, k.text, " ", sourceList(k.sources)))),
        m.concerns.length ? el("h4", {}, "What worries them") : null,
        m.concerns.length ? el("ul", {}, m.concerns.map((c) => el("li", {}, el("strong", {}, c.title), ": ", c.summary))) : null,
      );
    } catch (error) { showRequestError($("messages"), "The key messages could not be loaded", error, loadMessages); }
  }
  $("messages-audience").addEventListener("change", loadMessages);

  // ================================================================ DRAFT
  const templateCache = {};
  let draft = null;      // the saved draft as the server knows it
  let template = null;   // its template description
  let dirty = false;
  let savedKey = null;  // contentKey() of what the server holds for the open draft
  let saving = null;

  const newTemplate = $("new-template");
  newTemplate.append(el("option", { value: "" }, "— choose a template —"));
  for (const t of boot.templates) newTemplate.append(el("option", { value: t.id }, t.title));
  async function getTemplate(id) {
    if (!templateCache[id]) templateCache[id] = await api("GET", `/api/templates/${encodeURIComponent(id)}`);
    return templateCache[id];
  }
  async function onTemplateChange() {
    const id = newTemplate.value;
    if (!id) { $("new-template-help").textContent = ""; $("new-profile-wrap").hidden = true; return; }
    let t;
    try { t = await getTemplate(id); } catch (error) { say(`The template could not be loaded. ${error.message}`); return; }
    $("new-template-help").textContent = t.description;
    const wrap = $("new-profile-wrap");
    const select = $("new-profile");
    select.replaceChildren();
    for (const p of t.profile_details) select.append(el("option", { value: p.id }, p.name));
    wrap.hidden = !t.profile_details.length;
  }
  newTemplate.addEventListener("change", onTemplateChange);

  async function loadDraftList() {
    try {
      const drafts = await api("GET", "/api/drafts");
      const list = $("draft-list");
      list.replaceChildren();
      if ($("draft-list-error").dataset.from !== "open") $("draft-list-error").hidden = true;
      if (!drafts.length) list.append(el("li", { class: "empty" }, "No drafts yet."));
      const titles = {};
      for (const d of drafts) titles[d.title] = (titles[d.title] || 0) + 1;
      const templateTitle = (id) => (boot.templates.find((t) => t.id === id) || {}).title || id;
      for (const d of drafts) {
        // two drafts with one title are told apart by when they were started
        const same = titles[d.title] > 1;
        const name = d.title || templateTitle(d.template);
        list.append(el("li", {}, el("button", {
          type: "button", class: "link" + (draft && draft.id === d.id ? " current" : ""),
          "aria-current": draft && draft.id === d.id ? "true" : null,
          onclick: () => openDraft(d.id),
        }, same ? `${name} (started ${new Date(d.created_at).toLocaleDateString()} ${new Date(d.created_at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })})` : name),
        el("span", { class: "meta" },
          ` ${d.title && d.title !== templateTitle(d.template) ? templateTitle(d.template) + " · " : ""}version ${d.version} · saved ${new Date(d.updated_at).toLocaleString()}`)));
      }
    } catch (error) {
      showRequestError($("draft-list-error"), "Your drafts could not be listed", error, loadDraftList);
    }
  }

  $("new-draft").addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!newTemplate.value) { newTemplate.focus(); say("Choose a template first."); return; }
    try {
      const t = await getTemplate(newTemplate.value);
      const body = { template: t.id, data: {} };
      if (t.profile_details.length) body.profile = $("new-profile").value;
      const created = await api("POST", "/api/drafts", body);
      await openDraft(created.id, created);
      loadDraftList();
      const first = $("draft-form").querySelector("input, textarea, select");
      if (first) first.focus();
    } catch (error) {
      showRequestError($("draft-list-error"), "The draft could not be started", error, () => $("new-draft").requestSubmit());
    }
  });

  // ---- form generation from field declarations
  function fieldId(path) { return "f-" + path.replace(/[^A-Za-z0-9]+/g, "-"); }

  function inputFor(field, path, value) {
    const id = fieldId(path);
    const common = { id, name: path, "data-path": path,
      "aria-describedby": `${id}-help ${id}-error${field.type === "longtext" && field.max_length ? ` ${id}-count` : ""}` };
    // a long text is never cut silently (a pasted post lost its end): a counter says how
    // far over the limit it is instead; a short field keeps the browser's limit
    if (field.max_length && field.type !== "longtext") common.maxlength = field.max_length;
    if (field.required) common["aria-required"] = "true";
    let input;
    if (field.type === "longtext") {
      input = el("textarea", { ...common, rows: 5 });
      input.value = value ?? "";
    } else if (field.type === "choice") {
      input = el("select", common, el("option", { value: "" }, "— choose —"),
        (field.choices || []).map((c) => el("option", { value: c }, choiceName(field, c))));
      input.value = value ?? "";
    } else {
      // a web address is checked by the server ("www.district.org" is fine there, not for
      // the browser's type=url): a text box with the URL keyboard
      const types = { date: "date", email: "email", phone: "tel", number: "text" };
      input = el("input", { ...common, type: types[field.type] || "text",
        inputmode: field.type === "number" ? "numeric" : field.type === "url" ? "url" : null });
      input.value = value ?? "";
    }
    return input;
  }

  /** A choice as a person reads it: its toolkit title, or the id in words ("yes" → "Yes"). */
  function choiceName(field, c) {
    const named = (field.choice_labels || {})[c];
    if (named) return named;
    const words = String(c).replace(/[-_]+/g, " ");
    return words.charAt(0).toUpperCase() + words.slice(1);
  }

  function wordsNote(field) {
    return field.min_words ? ` (at least ${field.min_words} words)` : "";
  }

  function fieldBlock(field, path, value) {
    if (field.type === "list") return listBlock(field, path, value);
    const id = fieldId(path);
    const input = inputFor(field, path, value);
    return el("div", { class: "field", "data-field": path },
      el("label", { for: id }, field.label, field.required ? el("span", { class: "req", "aria-hidden": "true" }, " *") : null),
      field.help || field.min_words ? el("p", { class: "help", id: `${id}-help` }, (field.help || "") + wordsNote(field)) : null,
      input,
      field.type === "longtext" && field.max_length ? charCounter(field, input) : null,
      el("p", { class: "field-error", id: `${id}-error` }));
  }

  /** Counters that depend on other fields (a social post's platform, link and hashtags). */
  const counters = new Set();
  for (const kind of ["input", "change"]) {
    $("draft-form").addEventListener(kind, () => { for (const update of counters) update(); });
  }

  /** "212 of 280 characters" under a long text with a limit, counted as the server counts
   * (an emoji is one character), and marked when over the limit. */
  function charCounter(field, input) {
    const node = el("p", { class: "meta counter", id: `${input.id}-count`, "aria-live": "polite" });
    const update = () => {
      const n = [...(input.value || "")].length;
      const post = field.post ? wholePost(field.post, input, n) : null;
      const limit = post ? post.limit : field.max_length;
      const count = post ? post.length : n;
      const over = count - limit;
      const what = post ? `${count} of ${limit} characters on ${post.platform}${post.extras ? ` with the ${post.extras}` : ""}`
        : `${n} of ${field.max_length} characters`;
      node.textContent = over > 0 ? `${what}: ${over} over the limit` : what;
      node.classList.toggle("over", over > 0);
    };
    update();
    input.addEventListener("input", update);
    if (field.post) counters.add(update); // the platform, link and hashtags change it too
    return node;
  }

  /** A social post as published: its text, then the link and hashtags, against the limit of
   * the platform chosen in its row (as the server measures it; X counts a link as 23). */
  function wholePost(post, input, n) {
    const row = (input.dataset.path || "").replace(/[^.\]]*$/, "");
    const chosen = document.querySelector(`[data-path="${row}${post.platform}"]`);
    const platform = chosen ? chosen.value : "";
    const limit = post.limits[platform];
    if (!limit) return null; // no platform limit (Facebook): the field's own
    let length = n;
    const extras = [];
    for (const name of post.with) {
      const other = document.querySelector(`[data-path="${name}"]`);
      const value = other ? other.value.trim() : "";
      if (!value) continue;
      const isLink = other.type === "url" || /^(https?:\/\/|www\.)/i.test(value);
      length += 1 + (isLink && platform === "X" ? Math.min([...value].length, post.x_link) : [...value].length);
      extras.push(labelOf(name) ? labelOf(name).toLowerCase() : name);
    }
    return { platform, limit, length, extras: extras.join(" and ") };
  }

  function listBlock(field, path, value) {
    const items = Array.isArray(value) ? value : [];
    const id = fieldId(path);
    const box = el("fieldset", { class: "list-field", "data-list": path, id },
      el("legend", {}, field.label, field.required ? el("span", { class: "req", "aria-hidden": "true" }, " *") : null));
    if (field.help) box.append(el("p", { class: "help", id: `${id}-help` }, field.help));
    // a multiple choice list without sub-fields: checkboxes, at most max_items ticked
    if (!(field.fields || []).length && (field.choices || []).length) {
      const counter = field.max_items ? el("p", { class: "meta counter", "aria-live": "polite" }) : null;
      const boxes = [];
      const limit = () => {
        const ticked = boxes.filter((b) => b.checked).length;
        if (counter) counter.textContent = `${ticked} of at most ${field.max_items} chosen` +
          (ticked >= field.max_items ? ": untick one to choose another." : ".");
        for (const b of boxes) b.disabled = Boolean(field.max_items) && !b.checked && ticked >= field.max_items;
      };
      if (counter) box.append(counter);
      const list = el("div", { class: "choice-list" });
      for (const c of field.choices) {
        const cid = `${id}-${c.replace(/[^A-Za-z0-9]+/g, "-")}`;
        const detail = (field.choice_details || {})[c];
        const cb = el("input", { type: "checkbox", id: cid, value: c, "data-choice-of": path,
          "aria-describedby": detail ? `${cid}-text` : null, onchange: limit });
        cb.checked = items.includes(c);
        boxes.push(cb);
        list.append(el("div", { class: "check" }, cb, el("div", {},
          el("label", { for: cid }, choiceName(field, c)),
          detail ? el("p", { class: "choice-text", id: `${cid}-text` }, detail.text,
            (detail.sources || []).length ? el("span", { class: "meta" }, ` Source: ${detail.sources.map((r) =>
              `${r.title || r.id}${r.year ? ` (${r.year})` : ""}`).join("; ")}.`) : null) : null)));
      }
      box.append(list, el("p", { class: "field-error", id: `${id}-error` }));
      limit();
      return box;
    }
    const itemsBox = el("div", { class: "items" });
    box.append(itemsBox);
    const one = singularLabel(field.label);
    const itemName = (n) => (one ? `${one.charAt(0).toUpperCase()}${one.slice(1)} ${n}` : `${field.label}, item ${n}`);
    const addItem = (itemValue, focus) => {
      const index = itemsBox.children.length;
      // items are counted from 1, as the server's problems count them (schools[1] is the first)
      const itemPath = `${path}[${index + 1}]`;
      const item = el("div", { class: "item", "data-item": itemPath });
      const title = el("p", { class: "item-title" }, itemName(index + 1));
      item.append(title);
      if ((field.fields || []).length) {
        for (const sub of field.fields) item.append(fieldBlock(sub, `${itemPath}.${sub.name}`, itemValue ? itemValue[sub.name] : undefined));
      } else {
        item.append(fieldBlock({ ...field, type: "text", label: itemName(index + 1), help: "", fields: [] }, itemPath, itemValue));
      }
      item.append(el("p", { class: "field-error", id: `${fieldId(itemPath)}-error` }));
      item.append(el("button", { type: "button", class: "remove", onclick: () => {
        item.remove(); renumber(); changed(); addButton.focus();
      } }, one ? `Remove ${one} ${index + 1}` : `Remove item ${index + 1} of ${field.label.toLowerCase()}`));
      itemsBox.append(item);
      if (focus) { const f = item.querySelector("input, textarea, select"); if (f) f.focus(); }
    };
    const renumber = () => {
      // paths follow positions: rebuild the items from their current values
      const values = collectList(field, path, itemsBox);
      itemsBox.replaceChildren();
      values.forEach((v) => addItem(v, false));
    };
    const addButton = el("button", { type: "button", class: "add", onclick: () => {
      if (field.max_items && itemsBox.children.length >= field.max_items) return;
      addItem(undefined, true); changed(); limitItems();
    } }, one ? `Add ${one}` : `Add to ${field.label.toLowerCase()}`);
    const limitNote = el("p", { class: "meta" });
    const limitItems = () => {
      const full = Boolean(field.max_items) && itemsBox.children.length >= field.max_items;
      addButton.disabled = full;
      limitNote.textContent = full ? `That is the most this template takes (${field.max_items}).` : "";
    };
    items.forEach((v) => addItem(v, false));
    if (!items.length && field.min_items) for (let i = 0; i < field.min_items; i++) addItem(undefined, false);
    box.append(addButton, limitNote, el("p", { class: "field-error", id: `${id}-error` }));
    itemsBox.addEventListener("click", () => setTimeout(limitItems, 0));
    limitItems();
    return box;
  }

  function readValue(node) {
    return node.value === "" ? undefined : node.value;
  }

  function collectList(field, path, itemsBox) {
    const out = [];
    for (const item of itemsBox.children) {
      const itemPath = item.getAttribute("data-item");
      if ((field.fields || []).length) {
        const obj = {};
        for (const sub of field.fields) {
          const v = collectField(sub, `${itemPath}.${sub.name}`, item);
          if (v !== undefined) obj[sub.name] = v;
        }
        out.push(obj);
      } else {
        const node = item.querySelector(`[data-path="${CSS.escape(itemPath)}"]`);
        const v = node ? readValue(node) : undefined;
        out.push(v ?? "");
      }
    }
    return out;
  }

  function collectField(field, path, scope) {
    if (field.type === "list") {
      const box = scope.querySelector(`[data-list="${CSS.escape(path)}"]`);
      if (!box) return undefined;
      const boxes = box.querySelectorAll(`[data-choice-of="${CSS.escape(path)}"]`);
      if (boxes.length) return Array.from(boxes).filter((b) => b.checked).map((b) => b.value);
      return collectList(field, path, box.querySelector(".items"));
    }
    const node = scope.querySelector(`[data-path="${CSS.escape(path)}"]`);
    return node ? readValue(node) : undefined;
  }

  function collectData() {
    const form = $("draft-form");
    const data = {};
    for (const field of template.fields) {
      const v = collectField(field, field.name, form);
      if (v !== undefined) data[field.name] = v;
    }
    return data;
  }

  function buildForm() {
    const form = $("draft-form");
    form.replaceChildren();
    counters.clear(); // the old form's counters go with it
    const data = draft.data || {};
    const bySection = new Map();
    for (const field of template.fields) {
      const key = field.section || "";
      if (!bySection.has(key)) bySection.set(key, []);
      bySection.get(key).push(field);
    }
    const order = ["", ...template.sections.map((s) => s.id), ...bySection.keys()];
    const seen = new Set();
    for (const key of order) {
      if (seen.has(key) || !bySection.has(key)) continue;
      seen.add(key);
      const section = template.sections.find((s) => s.id === key);
      const box = key ? el("fieldset", { class: "section", id: `section-${key}` },
        el("legend", {}, section ? section.title : key),
        section && section.help ? el("p", { class: "help" }, section.help) : null) : el("div", { class: "section" });
      for (const field of bySection.get(key)) box.append(fieldBlock(field, field.name, data[field.name]));
      form.append(box);
    }
    stepIndex = 0;
    sectionStatus = {};
    renderSteps();
  }

  // ---- step by step: one section of a long template at a time, with progress
  let stepMode = true;
  let stepIndex = 0;
  let sectionStatus = {};

  function stepBoxes() { return Array.from($("draft-form").children); }
  function stepTitle(box) {
    const legend = box.querySelector(":scope > legend");
    return legend ? legend.textContent : "General details";
  }
  function stepDone(box) {
    const key = (box.id || "").replace(/^section-/, "");
    // a field in it still shows a mistake ("'three' is not a number"): not complete
    if (Array.from(box.querySelectorAll(".field-error:not(.warning)")).some((n) => n.textContent)) return false;
    if (sectionStatus[key]) return sectionStatus[key] === "done";
    const required = Array.from(box.querySelectorAll("[aria-required=true]"));
    return required.length > 0 && required.every((n) => n.value && n.value.trim());
  }

  function renderSteps() {
    const boxes = stepBoxes();
    const stepped = stepMode && boxes.length > 2;
    $("steps").hidden = !stepped;
    $("completeness-sections").hidden = stepped; // the steps list tells the same
    $("step-nav").hidden = boxes.length <= 2;
    $("step-all").textContent = stepped ? "Show every section on one page" : "Show one section at a time";
    $("step-prev").hidden = $("step-next").hidden = !stepped;
    if (!stepped) { for (const b of boxes) b.hidden = false; return; }
    stepIndex = Math.max(0, Math.min(stepIndex, boxes.length - 1));
    boxes.forEach((b, i) => { b.hidden = i !== stepIndex; });
    const done = boxes.filter(stepDone).length;
    $("step-progress").textContent = `Section ${stepIndex + 1} of ${boxes.length} · ${done} complete`;
    $("step-list").replaceChildren(...boxes.map((b, i) => el("li", { class: stepDone(b) ? "done" : "" },
      el("button", { type: "button", class: "link", "aria-current": i === stepIndex ? "step" : null,
        onclick: () => goToStep(i, true) }, stepTitle(b)),
      stepDone(b) ? el("span", { class: "meta" }, " \u2713 complete") : null,
      !stepDone(b) && sectionStatus[(b.id || "").replace(/^section-/, "")] === "thin" ? el("span", { class: "meta" }, " (too short)") : null)));
    $("step-prev").disabled = stepIndex === 0;
    $("step-next").textContent = stepIndex === boxes.length - 1 ? "Review the document" : "Next section";
  }

  function goToStep(i, focus) {
    stepIndex = i;
    renderSteps();
    const box = stepBoxes()[stepIndex];
    if (focus && box) {
      box.scrollIntoView({ block: "start" });
      const first = box.querySelector("input, textarea, select");
      if (first) first.focus({ preventScroll: true });
    }
  }
  function goToSection(id) {
    const i = stepBoxes().findIndex((b) => b.id === `section-${id}`);
    if (i >= 0) goToStep(i, true);
  }
  function showStepOf(node) {
    const i = stepBoxes().findIndex((b) => b.contains(node));
    if (i >= 0 && stepMode && i !== stepIndex) { stepIndex = i; renderSteps(); }
  }
  $("step-prev").addEventListener("click", () => goToStep(stepIndex - 1, true));
  $("step-next").addEventListener("click", () => {
    if (stepIndex < stepBoxes().length - 1) goToStep(stepIndex + 1, true);
    else $("draft-preview").click();
  });
  $("step-all").addEventListener("click", () => { stepMode = !stepMode; renderSteps(); });

  /** The closest form element for a problem's path: the field itself, else its item or list
   * (`proof_points[2]` → the figure list, `schools[1]` → the first school). */
  function problemTarget(path) {
    let at = path;
    while (at) {
      const id = fieldId(at);
      if ($(`${id}-error`)) return { id, input: $(id), error: $(`${id}-error`) };
      const shorter = at.replace(/(\.[^.[\]]+|\[\d+\])$/, "");
      if (shorter === at) break;
      at = shorter;
    }
    return null;
  }

  /** Problems as a person reads them: no internal field names, one line per field. */
  function cleanMessage(message) {
    return String(message || "").replace(/\s*\(fields?: [^)]*\)/g, "");
  }

  function isEmpty(node) {
    if (!node) return true;
    if (node.matches("input, select, textarea")) return node.type === "checkbox" ? !node.checked : !node.value;
    return !Array.from(node.querySelectorAll("input, select, textarea"))
      .some((n) => (n.type === "checkbox" ? n.checked : n.value));
  }

  function uniqueProblems(problems) {
    const seen = new Set();
    return (problems || []).filter((p) => {
      const key = p.path || p.message;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }

  function showProblems(problems) {
    for (const node of document.querySelectorAll("#draft-form .field-error")) node.textContent = "";
    for (const node of document.querySelectorAll("#draft-form [aria-invalid]")) node.removeAttribute("aria-invalid");
    for (const p of uniqueProblems(problems)) {
      if (!p.path) continue;
      const found = problemTarget(p.path);
      if (!found) continue;
      const input = found.input;
      // "required" warnings on fields (or lists) not started yet would be noise while drafting
      if (p.level === "warning" && isEmpty(input || $(found.id))) continue;
      if (!found.error.textContent) {
        const text = cleanMessage(p.message);
        found.error.textContent = text.charAt(0).toUpperCase() + text.slice(1);
        // a warning ("this section has 13 words; …") is advice, not a mistake to fix first
        found.error.classList.toggle("warning", p.level === "warning");
      }
      if (input && p.level === "error" && "value" in input) input.setAttribute("aria-invalid", "true");
    }
  }

  function setSaveState(message, kind) {
    const node = $("save-state");
    node.textContent = message;
    node.className = `save-state${kind ? " " + kind : ""}`;
  }

  function draftAudience() { return $("draft-audience").value || null; }

  function fillDraftAudience() {
    const select = $("draft-audience");
    const own = template && template.audience ? ` (${audienceName(template.audience)})` : "";
    select.replaceChildren(el("option", { value: "" }, `The template's audience${own}`));
    fillAudiences(select, true);
    select.value = draft.audience || "";
  }

  // ---- unsaved changes are also kept in this browser until the server has them
  const backupKey = () => `mastery.unsaved.${draft.id}`;
  function keepBackup() {
    if (!draft) return;
    try {
      localStorage.setItem(backupKey(), JSON.stringify({ base_version: draft.version, data: collectData(),
        title: $("draft-title").value, audience: $("draft-audience").value }));
    } catch (_) { /* storage full or private mode */ }
  }
  function dropBackup() { try { localStorage.removeItem(backupKey()); } catch (_) { /* nothing kept */ } }
  function readBackup() {
    try { return JSON.parse(localStorage.getItem(backupKey()) || "null"); } catch (_) { return null; }
  }

  async function openDraft(id, loaded) {
    try {
      if (saving) await saving;
      if (dirty && draft) await save();
      draft = loaded || await api("GET", `/api/drafts/${encodeURIComponent(id)}`);
      template = await getTemplate(draft.template);
    } catch (error) {
      showRequestError($("draft-list-error"), error.status === 404 ? "That draft could not be opened"
        : "The draft could not be opened", error, retriable(error) ? () => openDraft(id, loaded) : null);
      // the drafts list, loaded next, must not hide this message
      $("draft-list-error").dataset.from = "open";
      if (error.status === 404 && new URLSearchParams(location.search).get("draft") === id) {
        history.replaceState(null, "", "/#draft");  // a stale link: not opened again on reload
      }
      return;
    }
    delete $("draft-list-error").dataset.from;
    dirty = false;
    retry.reset();
    $("draft-editor").hidden = false;
    $("draft-title").value = draft.title || "";
    fillDraftAudience();
    $("conflict").hidden = true;
    $("draft-error").hidden = true;
    $("preview").hidden = true;
    $("history-preview").hidden = true;
    const backup = readBackup();
    if (backup && backup.data && JSON.stringify(backup.data) !== JSON.stringify(draft.data)) {
      // the last visit ended before its changes reached the server: bring them back
      draft = { ...draft, data: backup.data };
      $("draft-title").value = backup.title ?? draft.title;
      if (typeof backup.audience === "string") $("draft-audience").value = backup.audience;
      buildForm();
      say("Changes that were not saved last time are back in the form; they are being saved now.");
      draft.version = backup.base_version || draft.version;
      savedKey = null;
      changed();
    } else {
      dropBackup();
      buildForm();
      savedKey = contentKey(collectData(), $("draft-title").value, $("draft-audience").value);
      setSaveState(`Saved · version ${draft.version}`, "ok");
    }
    showProblems(draft.problems);
    history.replaceState(null, "", `/?draft=${draft.id}#draft`);
    // the drafts list is rebuilt: keyboard focus goes to the draft just opened, not to <body>
    if (!document.activeElement || document.activeElement === document.body
        || $("draft-list").contains(document.activeElement)) $("draft-title").focus();
    loadCompleteness();
    loadHistory();
    loadDraftList();
  }

  async function loadCompleteness() {
    const box = $("completeness");
    if (!template || !template.uses_profile) { box.hidden = true; return; }
    try {
      const c = await api("GET", `/api/drafts/${draft.id}/completeness`);
      const percent = Math.round(Number(c.percent || 0));
      $("completeness-meter").value = percent;
      $("completeness-text").textContent = `${percent}%`;
      $("completeness-sections").replaceChildren(...(c.sections || []).map((s) => el("li", {
        class: `sec ${s.status}`,
      }, el("a", { href: `#section-${s.id}`, onclick: (e) => { e.preventDefault(); goToSection(s.id); } }, s.title), " ",
      el("span", { class: "badge" }, { done: "done", thin: "too short", missing: "missing" }[s.status] || s.status),
      s.min_words ? el("span", { class: "meta" }, ` ${s.words}/${s.min_words} words`) : null,
      s.required ? null : el("span", { class: "meta" }, " (optional)"))));
      box.hidden = false;
      sectionStatus = Object.fromEntries((c.sections || []).map((s) => [s.id, s.status]));
      renderSteps();
    } catch (error) { box.hidden = true; }
  }

  // ---- history: preview a version and what differs from now, before restoring it
  // a date as people read it ("December 1, 2026"), not as the form stores it ("2026-12-01")
  function readableDate(value) {
    if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
    const [y, m, d] = value.split("-").map(Number);
    const date = new Date(y, m - 1, d);
    return Number.isNaN(date.getTime()) ? value
      : date.toLocaleDateString(undefined, { year: "numeric", month: "long", day: "numeric" });
  }
  function describeValue(value) {
    if (value === undefined || value === null || value === "") return "(empty)";
    if (Array.isArray(value)) return value.length ? value.map((v) => (typeof v === "object" ? Object.values(v).map(readableDate).join(", ") : choiceLabelAnywhere(v))).join("; ") : "(empty)";
    if (typeof value === "object") return Object.values(value).map(readableDate).join(", ");
    return choiceLabelAnywhere(value);
  }
  function choiceLabelAnywhere(value) {
    for (const f of template.fields) if ((f.choices || []).includes(value)) return choiceName(f, value);
    return String(readableDate(value));
  }

  function previewVersion(v) {
    const box = $("history-preview");
    const now = collectData();
    const rows = [];
    for (const f of template.fields) {
      const then = describeValue(v.data[f.name]);
      const current = describeValue(now[f.name]);
      if (then === "(empty)" && current === "(empty)") continue;
      const same = then === current;
      rows.push(el("tr", { class: same ? "same" : "changed" },
        el("th", { scope: "row" }, f.label),
        el("td", {}, same ? then : el("del", {}, current)),
        el("td", {}, same ? el("span", { class: "meta" }, "no change") : el("ins", {}, then))));
    }
    const changes = rows.filter((r) => r.classList.contains("changed")).length;
    fill(box,
      el("h4", {}, `Version ${v.version} · ${new Date(v.saved_at).toLocaleString()}`),
      el("p", {}, changes ? `${changes} field${changes > 1 ? "s differ" : " differs"} from what is in the form now.`
        : "Same as what is in the form now."),
      v.title !== $("draft-title").value ? el("p", {}, `Title then: “${v.title}”.`) : null,
      // in its own scrolling box: a wide table must not widen the page on a phone
      rows.length ? el("div", { class: "diff-scroll" }, el("table", { class: "diff" },
        el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Field"), el("th", { scope: "col" }, "Now"),
          el("th", { scope: "col" }, `Version ${v.version}`))),
        el("tbody", {}, rows))) : null,
      el("div", { class: "row" },
        el("button", { type: "button", onclick: () => restore(v.version) }, `Restore version ${v.version}`),
        el("button", { type: "button", class: "secondary", onclick: () => { box.hidden = true; } }, "Close")));
    box.hidden = false;
    box.focus();
  }
  escapeClosers.push(() => {
    const box = $("history-preview");
    if (box.hidden) return false;
    box.hidden = true;
    return true;
  });

  async function loadHistory() {
    try {
      const versions = await api("GET", `/api/drafts/${draft.id}/history`);
      $("history-list").replaceChildren(...versions.map((v) => el("li", {},
        `Version ${v.version} · ${new Date(v.saved_at).toLocaleString()}${v.note ? " · " + v.note : ""} `,
        v.version === draft.version ? el("span", { class: "meta" }, "(current)") :
          el("button", { type: "button", class: "link", onclick: () => previewVersion(v) }, `Preview version ${v.version}`))));
    } catch (_) { /* history is optional: the form still works */ }
  }

  async function restore(version) {
    try {
      if (dirty) await save();
      const restored = await api("POST", `/api/drafts/${draft.id}/restore/${version}?base_version=${draft.version}`);
      await openDraft(restored.id, restored);
      $("draft-title").focus(); // the form was rebuilt: the keyboard starts at its top again
      say(`Restored version ${version} (saved as version ${restored.version}).`);
    } catch (error) { handleSaveError(error); }
  }

  // ---- saving: retried with back-off while the server cannot be reached
  const retry = {
    delay: 0, timer: null,
    reset() { clearTimeout(this.timer); this.timer = null; this.delay = 0; },
    schedule() {
      clearTimeout(this.timer);
      this.delay = Math.min(this.delay ? this.delay * 2 : 2000, 30000);
      this.timer = setTimeout(() => { this.timer = null; if (dirty) save(); }, this.delay);
      return this.delay;
    },
  };
  window.addEventListener("online", () => { if (dirty && draft) { retry.reset(); save(); } });

  /** Saved elsewhere meanwhile: the two sets of changes are merged field by field against
   * the version this page last saved; a field changed on both sides is the user's choice.
   * Returns false when it cannot merge (the newer version cannot be read, or the page does
   * not know what it last saved). */
  async function mergeConflict() {
    if (!savedKey || !draft) return false;
    let theirs;
    try { theirs = await api("GET", `/api/drafts/${encodeURIComponent(draft.id)}`); } catch (_) { return false; }
    const base = JSON.parse(savedKey);
    const mine = { data: collectData(), title: $("draft-title").value, audience: $("draft-audience").value };
    const same = (a, b) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
    const names = new Set([...Object.keys(base.data || {}), ...Object.keys(mine.data), ...Object.keys(theirs.data || {})]);
    const merged = {};
    const both = [];
    for (const name of names) {
      const [b, m, t] = [(base.data || {})[name], mine.data[name], (theirs.data || {})[name]];
      if (!same(m, b) && !same(t, b) && !same(m, t)) both.push(name);
      const value = same(m, b) ? t : m;
      if (value !== undefined && value !== null) merged[name] = value;
    }
    const title = same(mine.title, base.title) ? (theirs.title || "") : mine.title;
    const audience = same(mine.audience, base.audience) ? (theirs.audience || "") : mine.audience;
    if (!same(mine.title, base.title) && !same(theirs.title || "", base.title) && !same(mine.title, theirs.title || "")) both.push("title");
    const label = (name) => name === "title" ? "Title"
      : ((template.fields.find((f) => f.name === name) || {}).label || name);
    const apply = () => {
      // the newer version, with this page's changes on top
      draft = { ...theirs, data: merged };
      $("draft-title").value = title;
      buildForm();
      if (audience !== undefined) $("draft-audience").value = audience;
      savedKey = contentKey(theirs.data || {}, theirs.title || "", theirs.audience || "");
      dirty = true;
      $("conflict").hidden = true;
      save();
    };
    if (!both.length) {
      apply();
      say("This draft was also changed elsewhere; both sets of changes are kept.");
      return true;
    }
    const box = $("conflict");
    // each field changed on both sides, with both versions, so the choice is an informed one
    const shown = (value) => {
      if (value === undefined || value === null || value === "") return "(empty)";
      if (Array.isArray(value)) return `${value.length} item${value.length === 1 ? "" : "s"}`;
      const textValue = typeof value === "string" ? value : JSON.stringify(value);
      return `“${textValue.length > 160 ? `${textValue.slice(0, 157)}…` : textValue}”`;
    };
    const valueOf = (side, name) => name === "title" ? side.title : (side.data || {})[name];
    box.replaceChildren(
      el("p", {}, `This draft was saved elsewhere since you opened it (it is now at version ${theirs.version}). `
        + "Nothing was overwritten. These were changed both here and there: "),
      el("ul", {}, both.map((name) => el("li", {}, el("strong", {}, label(name)),
        el("br"), `Here: ${shown(valueOf(mine, name))}`,
        el("br"), `There: ${shown(valueOf(theirs, name))}`))),
      el("p", {}, "Keeping your version of these also keeps every other change from both sides; "
        + "loading the newer version drops all of your changes."),
      el("button", { type: "button", onclick: apply }, "Keep my version of these"),
      " ",
      el("button", { type: "button", onclick: () => { dirty = false; dropBackup(); openDraft(draft.id); } }, "Load the newer version (discard my changes)"),
    );
    box.hidden = false;
    setSaveState("Not saved: changed elsewhere", "bad");
    return true;
  }

  async function handleSaveError(error) {
    if (error.status === 409 && await mergeConflict()) return;
    if (error.status === 409) {
      const current = error.body && error.body.error && error.body.error.current_version;
      const box = $("conflict");
      box.replaceChildren(
        // the page's own words: the buttons below are the two ways out
        el("p", {}, `This draft was saved elsewhere since you opened it${current ? ` (it is now at version ${current})` : ""}. `
          + "Nothing was overwritten, and what you typed is still in the form. Keep yours, or load the newer one:"),
        el("button", { type: "button", onclick: () => save(current) }, "Keep my changes (save over the newer version)"),
        " ",
        el("button", { type: "button", onclick: () => { dirty = false; dropBackup(); openDraft(draft.id); } }, "Load the newer version (discard my changes)"),
      );
      box.hidden = false;
      setSaveState("Not saved: changed elsewhere", "bad");
    } else if (error.status === 404) {
      const box = $("conflict");
      box.replaceChildren(
        el("p", {}, "This draft was deleted (perhaps in another window). What you typed is still in the form."),
        el("button", { type: "button", onclick: saveAsNew }, "Save it as a new draft"));
      box.hidden = false;
      setSaveState("Not saved: the draft was deleted", "bad");
    } else if (retriable(error)) {
      const seconds = Math.round(retry.schedule() / 1000);
      setSaveState(`Not saved — will retry in ${seconds} s`, "bad");
      showRequestError($("draft-error"), error.status === 401 ? "Not saved: your sign-in has expired"
        : "Not saved yet", error.status === 401
        ? { message: "Sign in again in another tab; your changes are kept in this browser and saved when you are back." }
        : error, () => { retry.reset(); save(); });
    } else {
      setSaveState("Not saved", "bad");
      showRequestError($("draft-error"), "Not saved", error, () => save());
    }
  }

  async function saveAsNew() {
    try {
      const created = await api("POST", "/api/drafts", { template: template.id, profile: draft.profile || undefined,
        title: $("draft-title").value || undefined, data: collectData(),
        ...(draftAudience() ? { audience: draftAudience() } : {}) });
      dropBackup();
      dirty = false;
      await openDraft(created.id, created);
      say("Saved as a new draft.");
    } catch (error) { handleSaveError(error); }
  }

  /** What a save would send, to tell whether anything changed since the last save. */
  function contentKey(data, title, audience) {
    return JSON.stringify({ data, title, audience });
  }

  async function save(forceBase) {
    if (!draft) return;
    const body = { base_version: forceBase || draft.version, data: collectData(), title: $("draft-title").value,
      audience: $("draft-audience").value };
    const key = contentKey(body.data, body.title, body.audience);
    if (!forceBase && key === savedKey) {
      // a field's "change" after its "input" was saved: the same content, no new version
      dirty = false;
      dropBackup();
      setSaveState(`Saved · version ${draft.version}`, "ok");
      return;
    }
    dirty = false;
    setSaveState("Saving…");
    const run = (async () => {
      try {
        const saved = await api("PUT", `/api/drafts/${draft.id}`, body);
        draft = saved;
        savedKey = key;
        retry.reset();
        if (!dirty) dropBackup();
        $("conflict").hidden = true;
        $("draft-error").hidden = true;
        setSaveState(`Saved · version ${saved.version}`, "ok");
        showProblems(saved.problems);
        loadCompleteness();
        loadHistory();
        listSoon();
      } catch (error) {
        dirty = true;
        keepBackup();
        handleSaveError(error);
      }
    })();
    saving = run;
    await run;
    saving = null;
  }
  // nothing left to save (an explicit save, "Keep my changes", already took it): no new
  // version with the same content
  const autosave = debounce(() => { if (saving) { autosave(); return; } if (dirty) save(); }, 900);
  const listSoon = debounce(loadDraftList, 1500);
  function changed() {
    dirty = true;
    keepBackup();
    if (!retry.timer) { setSaveState("Unsaved changes…"); autosave(); }
  }

  $("draft-form").addEventListener("input", changed);
  $("draft-form").addEventListener("change", changed);
  $("draft-form").addEventListener("submit", (e) => e.preventDefault());
  $("draft-title").addEventListener("input", changed);
  $("draft-audience").addEventListener("change", changed);
  $("draft-save").addEventListener("click", () => { autosave.cancel(); retry.reset(); save(); });
  window.addEventListener("beforeunload", (event) => {
    if (dirty || saving) { event.preventDefault(); event.returnValue = ""; }
  });

  /** Whether a question's letters are mostly of the Latin alphabet (as toolkit/words.py). */
  function latin(question) {
    const letters = (question || "").match(/\p{L}/gu) || [];
    return letters.length > 0 && letters.filter((c) => c <= "\u024f").length * 2 > letters.length;
  }

  /** The English-only reply, with the Spanish note to a question in the Latin alphabet (as
   * toolkit/words.py english_only). */
  function englishOnly(question) {
    return latin(question) ? `${boot.words.englishOnly} ${boot.words.spanishNote}`
      : boot.words.englishOnly;
  }

  /** The heading of the topics offered with it, in Spanish too only to such a question (as
   * toolkit/words.py closest_in_english). */
  function closestInEnglish(question) {
    const heading = boot.words.closestInEnglish;
    return latin(question) ? `${heading.slice(0, -1)} ${boot.words.closestSpanish}:` : heading;
  }

  /** The file name a download response gives: its own name (filename*, "Boletín de
   * otoño.docx") where there is one, else the plain ASCII one, else ``fallback``. */
  function downloadName(response, fallback) {
    const header = response.headers.get("Content-Disposition") || "";
    const own = /filename\*=UTF-8''([^;]+)/i.exec(header);
    if (own) { try { return decodeURIComponent(own[1]); } catch (_) { /* the plain one */ } }
    const plain = /filename="([^"]+)"/.exec(header);
    return plain ? plain[1] : fallback;
  }

  // ---- export: a finished document, or (after asking) a copy marked as a draft
  async function download(fmt, mode) {
    const response = await fetch(`/api/drafts/${draft.id}/export?format=${fmt}&mode=${mode}`,
      { credentials: "same-origin", headers: { "X-Requested-With": "mastery-web" } }).catch(() => null);
    if (!response || !response.ok) {
      let body = null;
      if (response) { try { body = await response.json(); } catch (_) { body = null; } }
      throw new ApiError(response ? response.status : 0, body);
    }
    const blob = await response.blob();
    const link = el("a", { href: URL.createObjectURL(blob), download: downloadName(response, `document.${fmt}`) });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
  }

  async function exportDraft(fmt) {
    try {
      autosave.cancel();
      if (saving) await saving;
      if (dirty) await save();
      if (dirty) return; // not saved: the message says why
      const { p, data } = await review();
      const missing = uniqueProblems(p.problems).filter((x) => x.level === "error");
      if (!missing.length) {
        // finished, but wording a check would fail on goes out to readers: ask first
        const weak = userFlags(p).filter(({ f }) => f.severity === "error" || f.severity === "warning");
        if (weak.length) {
          $("wording-list").replaceChildren(...weak.map(wordingItem));
          renderReview(p);
          const choice = await choose($("wording-dialog"));
          if (choice === "cancel") goToField(weak[0].path); // "Fix the wording": at the first
          if (choice !== "final") return;
        }
        await download(fmt, "final");
        say("Downloaded the finished document.");
        return;
      }
      $("export-missing").replaceChildren(...missing.map((x) => el("li", { class: "error" },
        `${(x.path && (labelOf(x.path) || x.label)) || ""}${x.path ? ": " : ""}${cleanMessage(x.message)}`)));
      renderReview(p);
      const choice = await choose($("export-dialog"));
      if (choice === "draft") { await download(fmt, "draft"); say("Downloaded a draft copy, marked as a draft."); }
    } catch (error) {
      showRequestError($("draft-error"), "The document could not be downloaded", error, () => exportDraft(fmt));
    }
  }
  for (const button of document.querySelectorAll("[data-export]")) {
    button.addEventListener("click", () => exportDraft(button.getAttribute("data-export")));
  }


  function labelOf(path) {
    // the form's own label for a path, else the server's
    const found = problemTarget(path);
    if (!found) return null;
    const node = found.input && found.input.labels && found.input.labels[0];
    const legend = !node && $(found.id) && $(found.id).querySelector("legend");
    const own = (node || legend) ? (node || legend).textContent.replace(/\s*\*$/, "").trim() : null;
    // inside a repeating row, say which row: "Participating school 2 › Number of students"
    const item = $(found.id) && $(found.id).closest(".item");
    const title = item && item.querySelector(".item-title");
    return own && title && title.textContent !== own ? `${title.textContent} › ${own}` : own;
  }

  function goToField(path) {
    const found = problemTarget(path);
    if (!found) return;
    showStepOf(found.error);
    const target = found.input && "focus" in found.input && found.input.matches("input, select, textarea")
      ? found.input : (($(found.id) || found.error).querySelector("input, select, textarea, button") || found.error);
    target.scrollIntoView({ block: "center" });
    target.focus({ preventScroll: true });
  }

  function fieldLink(path, label) {
    return el("a", { href: `#${fieldId(path)}`, onclick: (e) => {
      e.preventDefault();
      const dialog = e.currentTarget.closest("dialog"); // from the export question: close it first
      if (dialog) dialog.close("cancel");
      goToField(path);
    } }, label);
  }

  /** The wording flags found in what the user wrote (not the template's own words or the
   * toolkit's figures), each once per field: [{ f, words, path }]. */
  function userFlags(p) {
    const seen = new Set();
    const out = [];
    for (const f of p.flags || []) {
      const words = f.text.replace(/[*_#`>]+/g, "").trim();
      // the server names the field that holds the words; none: the template's own words or
      // a shipped figure, not the user's to fix
      if (!words || !f.path) continue;
      const key = `${f.rule}|${f.path}|${words.toLowerCase()}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ f, words, path: f.path });
    }
    return out;
  }


  function wordingItem({ f, words, path }) {
    const shortWords = words.length > 60 ? `${words.slice(0, 56).trim()}…` : words;
    return el("li", { class: f.severity === "error" ? "error" : "warning" },
      el("span", { class: "sev-icon", "aria-hidden": "true" }, SEVERITY_ICON[f.severity] || "\u25CF"), " ",
      `Wording (${SEVERITY_NAME[f.severity] || f.severity}): “${shortWords}” in `,
      fieldLink(path, labelOf(path) || path), `: ${f.message}`);
  }

  /** Ask with ``dialog`` open; resolves to the button's value ("" when closed with Escape). */
  function choose(dialog) {
    dialog.returnValue = "";
    dialog.showModal();
    return new Promise((resolve) => dialog.addEventListener("close", () => resolve(dialog.returnValue), { once: true }));
  }

  /** The review list: every problem once, with the field's label, linked to the field; and
   * the wording flags found in what the user wrote (not the template's own words or the
   * toolkit's figures). */
  function renderReview(p) {
    const items = [];
    for (const x of uniqueProblems(p.problems)) {
      const label = (x.path && (labelOf(x.path) || x.label)) || null;
      const message = cleanMessage(x.message);
      items.push(el("li", { class: x.level },
        el("span", { class: "sev-icon", "aria-hidden": "true" }, x.level === "error" ? "\u2716" : "\u25B2"), " ",
        label ? [fieldLink(x.path, label), `: ${message}`] : message));
    }
    items.push(...userFlags(p).map(wordingItem));
    if (!items.length) items.push(el("li", { class: "ok" }, "No problems found: the document is complete."));
    $("preview-problems").replaceChildren(...items);
    return items.length;
  }

  async function review() {
    const data = collectData();
    const p = await api("POST", "/api/preview", { template: draft.template, profile: draft.profile,
      data, mode: "final", ...(draftAudience() ? { audience: draftAudience() } : {}) });
    return { p, data };
  }

  $("draft-preview").addEventListener("click", async () => {
    try {
      const { p, data } = await review();
      $("preview-frame").srcdoc = p.html;
      renderReview(p);
      $("preview").hidden = false;
      $("preview").scrollIntoView({ behavior: "smooth", block: "start" });
      $("preview-title").focus({ preventScroll: true });
    } catch (error) {
      showRequestError($("draft-error"), "The preview could not be made", error, () => $("draft-preview").click());
    }
  });

  $("draft-delete").addEventListener("click", async () => {
    if (!confirm("Delete this draft and all its versions?")) return;
    try {
      await api("DELETE", `/api/drafts/${draft.id}`);
      dropBackup();
      draft = null; dirty = false;
      $("draft-editor").hidden = true;
      history.replaceState(null, "", "/#draft");
      loadDraftList();
      say("Draft deleted.");
      // the editor is gone: focus goes to starting a new draft, not to <body>
      const start = $("new-draft").querySelector("select, input, button");
      if (start) start.focus();
    } catch (error) { say(error.message); }
  });

  // Escape closes what is open: the explanation card (or sheet), then a history preview
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || event.defaultPrevented) return;
    if (closeFlag(true)) { event.preventDefault(); return; }
    for (const closer of escapeClosers) if (closer()) { event.preventDefault(); return; }
  });

  window.addEventListener("hashchange", () => {
    const name = (location.hash || "").replace("#", "");
    if (tabs.includes(name)) showTab(name);
  });

  // ----------------------------------------------------------------- start
  const params = new URLSearchParams(location.search);
  const startTab = (location.hash || "").replace("#", "");
  if (params.get("draft")) {
    showTab("draft");
    openDraft(params.get("draft"));
  } else {
    showTab(tabs.includes(startTab) ? startTab : "check");
  }
  if (newTemplate.value) onTemplateChange();
})();
