// toll's dashboard: headline figures with their report date, publisher and basis, a chart of each one's
// history, the sources' freshness, and a box to check an article. Plain JavaScript and SVG, no library:
// everything comes from this server's API, nothing from the internet.
"use strict";

const $ = (sel, root = document) => root.querySelector(sel);
const el = (tag, attrs = {}, ...children) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
};
const svg = (tag, attrs = {}) => {
  const e = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
};
const fmt = (n) => (n === null || n === undefined ? "–" : Number(n).toLocaleString("en-US"));
const DAY = 86400000;
const day = (t) => new Date(t).toISOString().slice(0, 10);

async function getJSON(url, options) {
  const resp = await fetch(url, options);
  const body = await resp.json();
  if (!resp.ok) throw new Error(body.error || resp.statusText);
  return body;
}

// breaksOf finds where a line must not join two consecutive reports: a gap (no report for longer than
// three times the series' cadence, and at least a week), or a running total that falls (a new phase, or a
// revision down). A line across either would show a trend no one reported.
function breaksOf(rows, cadenceDays, cumulative) {
  const gapDays = Math.max(7, 3 * (cadenceDays || 1));
  const out = [];
  for (let i = 1; i < rows.length; i++) {
    const a = rows[i - 1], b = rows[i];
    const days = Math.round((Date.parse(b.report_date) - Date.parse(a.report_date)) / DAY);
    if (days > gapDays) out.push({ at: i, kind: "gap", days, from: a, to: b });
    if (cumulative && b.value < a.value) out.push({ at: i, kind: "fall", from: a, to: b });
  }
  return out;
}

// describeBreaks says in words what a chart's breaks are: its two longest gaps and its first fall, and how many
// more there are.
function describeBreaks(breaks) {
  const gaps = breaks.filter((b) => b.kind === "gap").sort((a, b) => b.days - a.days);
  const falls = breaks.filter((b) => b.kind === "fall");
  const said = [...gaps.slice(0, 2), ...falls.slice(0, 1)].map((b) => b.kind === "gap"
    ? `No reports from ${b.from.report_date} to ${b.to.report_date} (${b.days} days).`
    : `Fell from ${fmt(b.from.value)} to ${fmt(b.to.value)} on ${b.to.report_date}: the count restarted or was revised down.`);
  if (breaks.length > said.length) said.push(`${breaks.length - said.length} more break${breaks.length - said.length === 1 ? "" : "s"}.`);
  return said.join(" ");
}

// niceStep is a round step (1, 2 or 5 times a power of ten) that cuts max into about n parts.
function niceStep(max, n) {
  const raw = max / n, p = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw);
}

// dateTicks are month starts (or days, for a short span) between t0 and t1, at most n of them.
function dateTicks(t0, t1, n) {
  const spanDays = (t1 - t0) / DAY;
  if (spanDays < 62) {
    const step = Math.max(1, Math.ceil(spanDays / n));
    const out = [];
    for (let t = t0; t <= t1; t += step * DAY) out.push({ t, label: day(t) });
    return out;
  }
  const d0 = new Date(t0), months = Math.ceil(spanDays / 30.4);
  const step = [1, 2, 3, 6, 12, 24, 60].find((s) => months / s <= n) || 120;
  const out = [];
  for (let m = d0.getUTCFullYear() * 12 + d0.getUTCMonth() + 1; ; m++) {
    const t = Date.UTC(Math.floor(m / 12), m % 12, 1);
    if (t > t1) break;
    if (m % step === 0) out.push({ t, label: step >= 12 ? String(Math.floor(m / 12)) : day(t).slice(0, 7) });
  }
  return out;
}

// chart draws a series' values over time at the given width: reported stretches solid, extrapolated ones
// dashed, a break where the line would show a trend no one reported, axes with ticks, and a readout that
// follows the pointer (or a tap, or the arrow keys) with the value and its report date.
function chart(rows, { cadenceDays, cumulative, title, width }) {
  const figure = el("figure", { class: "chart" });
  const w = Math.max(260, Math.floor(width)), h = 180, left = 52, right = 10, top = 10, bottom = 24;
  const s = svg("svg", { width: w, height: h, viewBox: `0 0 ${w} ${h}`, role: "img", tabindex: "0" });
  figure.append(s);
  if (rows.length === 0) {
    const t = svg("text", { x: left, y: h / 2 });
    t.textContent = "no values in this date range";
    s.append(t);
    s.setAttribute("aria-label", `${title}: no values in this date range`);
    return figure;
  }
  const ts = rows.map((r) => Date.parse(r.report_date));
  const t0 = ts[0], t1 = Math.max(ts[ts.length - 1], t0 + DAY);
  const step = niceStep(Math.max(...rows.map((r) => r.value), 1), 4);
  const yTop = Math.ceil(Math.max(...rows.map((r) => r.value), 1) / step) * step;
  const x = (t) => left + ((t - t0) / (t1 - t0)) * (w - left - right);
  const y = (v) => top + (1 - v / yTop) * (h - top - bottom);
  const text = (content, attrs) => { const t = svg("text", attrs); t.textContent = content; s.append(t); };

  for (let v = 0; v <= yTop; v += step) {
    s.append(svg("line", { class: v ? "grid" : "axis", x1: left, y1: y(v), x2: w - right, y2: y(v) }));
    text(v >= 10000 ? `${fmt(v / 1000)}k` : fmt(v), { x: left - 6, y: y(v) + 3, "text-anchor": "end" });
  }
  for (const tick of dateTicks(t0, t1, Math.max(2, Math.floor((w - left - right) / 90)))) {
    s.append(svg("line", { class: "axis", x1: x(tick.t), y1: h - bottom, x2: x(tick.t), y2: h - bottom + 4 }));
    text(tick.label, { x: x(tick.t), y: h - 6, "text-anchor": "middle" });
  }

  const breaks = breaksOf(rows, cadenceDays, cumulative);
  for (const b of breaks) {
    const xa = x(Date.parse(b.from.report_date)), xb = x(Date.parse(b.to.report_date));
    if (b.kind === "gap") s.append(svg("rect", { class: "gap", x: xa, y: top, width: Math.max(1, xb - xa), height: h - top - bottom }));
    else s.append(svg("line", { class: "fall", x1: xb, y1: top, x2: xb, y2: h - bottom }));
  }
  // One path per run of the same basis within each unbroken stretch; consecutive runs share their
  // boundary point. A stretch of one report is a dot.
  const cuts = [...new Set([0, ...breaks.map((b) => b.at), rows.length])];
  for (let c = 0; c + 1 < cuts.length; c++) {
    const stretch = rows.slice(cuts[c], cuts[c + 1]);
    if (stretch.length === 1) {
      const r = stretch[0];
      s.append(svg("circle", { class: `dot ${r.basis === "reported" ? "reported" : "extrapolated"}`,
        cx: x(Date.parse(r.report_date)), cy: y(r.value), r: 2.5 }));
      continue;
    }
    let start = 0;
    for (let i = 1; i <= stretch.length; i++) {
      if (i < stretch.length && (stretch[i].basis === "reported") === (stretch[start].basis === "reported")) continue;
      const run = stretch.slice(Math.max(0, start - 1), i);
      const d = run.map((r, j) => `${j ? "L" : "M"}${x(Date.parse(r.report_date)).toFixed(1)},${y(r.value).toFixed(1)}`).join("");
      s.append(svg("path", { d, class: stretch[start].basis === "reported" ? "reported" : "extrapolated" }));
      start = i;
    }
  }

  const last = rows[rows.length - 1];
  s.setAttribute("aria-label", `${title}, from ${rows[0].report_date} to ${last.report_date}: ` +
    `${fmt(rows[0].value)} to ${fmt(last.value)}. ${describeBreaks(breaks)}`);
  if (breaks.length) figure.append(el("figcaption", { class: "breaks" }, describeBreaks(breaks)));

  // The readout.
  const cursor = svg("line", { class: "cursor", y1: top, y2: h - bottom, visibility: "hidden" });
  const mark = svg("circle", { class: "mark", r: 4, visibility: "hidden" });
  s.append(cursor, mark);
  const readout = el("p", { class: "readout", "aria-live": "polite" }, "");
  figure.append(readout);
  let shown = rows.length - 1;
  const show = (i) => {
    shown = Math.min(rows.length - 1, Math.max(0, i));
    const r = rows[shown], cx = x(ts[shown]);
    for (const [k, v] of Object.entries({ x1: cx, x2: cx, visibility: "visible" })) cursor.setAttribute(k, v);
    for (const [k, v] of Object.entries({ cx, cy: y(r.value), visibility: "visible" })) mark.setAttribute(k, v);
    readout.textContent = `${fmt(r.value)} on ${r.report_date} · ${r.basis}${r.publisher ? ` · ${r.publisher}` : ""}`;
  };
  const nearest = (evt) => {
    const box = s.getBoundingClientRect();
    const t = t0 + ((evt.clientX - box.left - left) / (w - left - right)) * (t1 - t0);
    let best = 0;
    for (let i = 1; i < ts.length; i++) if (Math.abs(ts[i] - t) < Math.abs(ts[best] - t)) best = i;
    return best;
  };
  s.addEventListener("pointermove", (e) => show(nearest(e)));
  s.addEventListener("pointerdown", (e) => show(nearest(e)));
  s.addEventListener("focus", () => show(shown));
  s.addEventListener("keydown", (e) => {
    if (e.key === "ArrowLeft" || e.key === "ArrowRight") {
      e.preventDefault();
      show(shown + (e.key === "ArrowLeft" ? -1 : 1));
    }
  });
  return figure;
}

// cards keeps each headline card's series and rows, so that a resize redraws without asking again.
const cards = new Map();

async function drawChart(card) {
  const info = cards.get(card);
  const range = new FormData($("#range"));
  const q = new URLSearchParams({ from: range.get("from") || "", to: range.get("to") || "" });
  try {
    if (!info.rows || info.query !== q.toString()) {
      info.rows = (await getJSON(`/api/series/${info.series.series_id}?${q}`)).rows;
      info.query = q.toString();
    }
    redraw(card);
  } catch (err) {
    card.append(el("p", { class: "error" }, `chart: ${err.message}`));
  }
}

function redraw(card) {
  const info = cards.get(card);
  if (!info.rows) return;
  const c = chart(info.rows, { cadenceDays: info.series.cadence_days, cumulative: info.series.measure === "cumulative",
    title: info.series.title, width: card.clientWidth - 28 });
  const old = $("figure.chart", card);
  old ? old.replaceWith(c) : card.append(c);
}

async function headlines() {
  const latest = await getJSON("/api/latest");
  $("#snapshot").textContent = `Snapshot ${latest.snapshot}`;
  const box = $("#headlines");
  box.replaceChildren();
  cards.clear();
  for (const r of latest.rows) {
    const card = el("article", { class: "card", "data-series": r.series_id },
      el("h3", {}, r.title),
      el("div", { class: "value" }, fmt(r.latest_value), el("span", { class: `badge ${r.latest_basis}` }, r.latest_basis)),
      el("div", { class: "meta" }, `reported ${r.latest_report_date} · ${r.latest_publisher}`));
    if (r.latest_basis !== "reported" && r.latest_reported_date) {
      card.append(el("div", { class: "plateau" },
        `last reported: ${fmt(r.latest_reported_value)} on ${r.latest_reported_date}; later values are extrapolated`));
    }
    cards.set(card, { series: r });
    box.append(card);
  }
  await Promise.all([...cards.keys()].map(drawChart));
}

async function sources() {
  const data = await getJSON("/api/sources");
  const body = $("#sources tbody");
  body.replaceChildren();
  for (const s of data.rows) {
    // data-label names each cell on a phone, where the table's rows stack (dashboard.css).
    body.append(el("tr", {},
      el("td", { "data-label": "source" }, s.name), el("td", { "data-label": "status" }, s.status),
      el("td", { "data-label": "fetched" }, s.fetched_at || "–"),
      el("td", { "data-label": "freshness", class: s.stale ? "stale" : "fresh" },
        s.newest_report ? `${s.stale ? "stale" : "fresh"}: newest report ${s.newest_report}` : "–"),
      el("td", { "data-label": "licence" }, terms(s)),
      el("td", { "data-label": "last error", class: "error" }, s.error || "")));
  }
}

// terms is a source's licence, linked to where it is published, what it does not allow, and how to cite
// the source.
function terms(s) {
  if (!s.license) return "–";
  const licence = /^https?:/.test(s.license_url || "") ? el("a", { href: s.license_url }, s.license) : s.license;
  return el("span", {}, licence,
    s.restrictions ? el("strong", { class: "restricted" }, ` (${s.restrictions})`) : "",
    s.citation ? el("small", { class: "cite" }, `Cite: ${s.citation}`) : "");
}

// shareLink is the dashboard's link that runs this check again: the article's link or its text, and
// the publication date when one was given.
function shareLink(article) {
  const q = new URLSearchParams();
  for (const k of ["url", "text", "published"]) if (article[k]) q.set(k, article[k]);
  return `${location.origin}${location.pathname}?${q}`;
}

// citation links a report: an official statement to the report quoting it, else the source's dataset.
function citation(d) {
  if (d.quoted_in) return el("span", {}, "quoted in ", el("a", { href: d.quoted_in }, new URL(d.quoted_in).hostname));
  return el("span", {}, "from ", d.source_url ? el("a", { href: d.source_url }, d.source) : d.source);
}

// checkArticle checks an article given by its link or its text ({url, text, published}); a link wins.
async function checkArticle(article) {
  if (article.url) article = { url: article.url, published: article.published };
  const out = $("#claims");
  out.replaceChildren(el("p", {}, article.url ? "Fetching the page and checking…" : "Checking…"));
  try {
    const res = await getJSON("/api/check", { method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify(article) });
    const list = el("ol", { class: "claims" });
    for (const c of res.claims) {
      const item = el("li", { class: "claim" },
        el("p", { class: "figure" }, `“${c.text_span}”`),
        el("p", { class: `verdict ${c.verdict}` }, c.verdict.replace("_", " ")));
      if (c.sentence && c.sentence !== c.text_span) item.append(el("p", { class: "sentence" }, c.sentence));
      if (c.derived && c.derived.parts) {
        // A total toll built from parts: each part, and the report that quotes it.
        const parts = el("ul", { class: "parts" });
        for (const p of c.derived.parts) parts.append(el("li", {}, `${fmt(p.value)} on ${p.report_date}, ${p.publisher}; `, citation(p)));
        item.append(el("p", { class: "data" }, `The data: ${fmt(c.derived.low)}–${fmt(c.derived.high)}, the sum toll built ` +
          `on ${c.data.report_date} from ${c.derived.parts.length} parts (snapshot ${c.data.snapshot}):`), parts);
      } else if (c.data) {
        item.append(el("p", { class: "data" }, `The data: ${fmt(c.data.value)} on ${c.data.report_date}, ` +
          `${c.data.publisher} (${c.data.basis}${c.data.version ? `, ${c.data.version}` : ""}); `, citation(c.data),
          `, snapshot ${c.data.snapshot}`));
      }
      item.append(el("p", { class: "why" }, c.why));
      list.append(item);
    }
    const n = res.claims.length;
    const said = el("p", {}, `${n} figure${n === 1 ? "" : "s"}, published ${res.published} ` +
      `(from ${res.published_from}), checked against snapshot ${res.snapshot}.`);
    if (res.article) said.prepend(el("a", { href: res.article.url }, res.article.title || res.article.url), ": ");
    out.replaceChildren(said, list);
    // The address bar now holds the link to this check, to share or come back to.
    const link = shareLink(article);
    history.replaceState(null, "", link);
    // The verdicts as schema.org ClaimReview markup, for a page that embeds or saves this one.
    const markup = $("#claim-reviews") || document.head.appendChild(el("script", { type: "application/ld+json", id: "claim-reviews" }));
    markup.textContent = JSON.stringify(res.claim_reviews.map((r) => ({ ...r, url: link })));
    $("#share-link").value = link;
    $("#copied").textContent = "";
    $("#share").hidden = false;
  } catch (err) {
    out.replaceChildren(el("p", { class: "error" }, err.message));
  }
}

async function copyLink() {
  const input = $("#share-link");
  try {
    await navigator.clipboard.writeText(input.value);
  } catch {
    input.select(); // a browser that refuses the clipboard: the link is selected, to copy by hand
    document.execCommand("copy");
  }
  $("#copied").textContent = "Copied.";
}

document.addEventListener("DOMContentLoaded", () => {
  $("#range").addEventListener("submit", (e) => {
    e.preventDefault();
    for (const card of cards.keys()) drawChart(card);
  });
  $("#check").addEventListener("submit", (e) => {
    e.preventDefault();
    const f = new FormData(e.target);
    const article = { url: f.get("url").trim(), text: f.get("text").trim(), published: f.get("published") };
    if (!article.url && !article.text) {
      $("#claims").replaceChildren(el("p", { class: "error" }, "Give the article's link or paste its text."));
    } else if (!article.url && !article.published) {
      $("#claims").replaceChildren(el("p", { class: "error" }, "Give the article's publication date."));
    } else {
      checkArticle(article);
    }
  });
  $("#copy-link").addEventListener("click", copyLink);
  let resizing;
  window.addEventListener("resize", () => {
    clearTimeout(resizing);
    resizing = setTimeout(() => { for (const card of cards.keys()) redraw(card); }, 150);
  });
  // ?url=… or ?text=…&published=… fills the check box and runs it: a check can be shared as a link,
  // which opens at its verdicts once the page has settled.
  const params = new URLSearchParams(location.search);
  const run = [headlines(), sources()];
  const shared = params.get("url") || (params.get("text") && params.get("published"));
  if (shared) {
    const article = { url: params.get("url") || "", text: params.get("text") || "", published: params.get("published") || "" };
    $("#check-url").value = article.url;
    $("#check-text").value = article.text;
    $("#check input[name=published]").value = article.published;
    run.push(checkArticle(article));
  }
  Promise.all(run).catch((err) => { $("#snapshot").textContent = `Could not load: ${err.message}`; })
    .finally(() => {
      if (shared) {
        $("#claims").focus({ preventScroll: true });
        $("#claims").scrollIntoView({ block: "start" });
      }
      document.body.setAttribute("data-ready", "true");
    });
});
