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

async function getJSON(url, options) {
  const resp = await fetch(url, options);
  const body = await resp.json();
  if (!resp.ok) throw new Error(body.error || resp.statusText);
  return body;
}

// chart draws a series' values over time: reported stretches solid, extrapolated ones dashed, so that
// a carried-forward plateau is not read as a report.
function chart(rows) {
  const w = 600, h = 160, left = 56, bottom = 18, top = 8;
  const s = svg("svg", { class: "chart", viewBox: `0 0 ${w} ${h}`, preserveAspectRatio: "none", role: "img" });
  if (rows.length === 0) {
    const t = svg("text", { x: left, y: h / 2 });
    t.textContent = "no values in this date range";
    s.append(t);
    return s;
  }
  const xs = rows.map((r) => Date.parse(r.report_date));
  const x0 = Math.min(...xs), x1 = Math.max(...xs, x0 + 86400000);
  const yMax = Math.max(...rows.map((r) => r.value), 1);
  const x = (t) => left + ((t - x0) / (x1 - x0)) * (w - left - 8);
  const y = (v) => top + (1 - v / yMax) * (h - top - bottom);
  s.append(svg("line", { class: "axis", x1: left, y1: h - bottom, x2: w - 8, y2: h - bottom }));
  s.append(svg("line", { class: "axis", x1: left, y1: top, x2: left, y2: h - bottom }));
  const label = (text, attrs) => { const t = svg("text", attrs); t.textContent = text; s.append(t); };
  label(fmt(yMax), { x: 2, y: top + 8 });
  label("0", { x: 2, y: h - bottom });
  label(rows[0].report_date, { x: left, y: h - 4 });
  label(rows[rows.length - 1].report_date, { x: w - 70, y: h - 4 });
  // One path per run of the same basis; consecutive runs share their boundary point.
  let start = 0;
  for (let i = 1; i <= rows.length; i++) {
    if (i < rows.length && (rows[i].basis === "reported") === (rows[start].basis === "reported")) continue;
    const run = rows.slice(Math.max(0, start - 1), i);
    const d = run.map((r, j) => `${j ? "L" : "M"}${x(Date.parse(r.report_date)).toFixed(1)},${y(r.value).toFixed(1)}`).join("");
    s.append(svg("path", { d, class: rows[start].basis === "reported" ? "reported" : "extrapolated" }));
    start = i;
  }
  return s;
}

async function drawChart(card, seriesID) {
  const range = new FormData($("#range"));
  const q = new URLSearchParams({ from: range.get("from") || "", to: range.get("to") || "" });
  const old = $("svg.chart", card);
  try {
    const data = await getJSON(`/api/series/${seriesID}?${q}`);
    const c = chart(data.rows);
    old ? old.replaceWith(c) : card.append(c);
  } catch (err) {
    card.append(el("p", { class: "error" }, `chart: ${err.message}`));
  }
}

async function headlines() {
  const latest = await getJSON("/api/latest?headline=true");
  $("#snapshot").textContent = `Snapshot ${latest.snapshot}`;
  const cards = $("#headlines");
  cards.replaceChildren();
  for (const r of latest.rows.filter((r) => r.headline)) {
    const card = el("article", { class: "card", "data-series": r.series_id },
      el("h3", {}, r.title),
      el("div", { class: "value" }, fmt(r.latest_value), el("span", { class: `badge ${r.latest_basis}` }, r.latest_basis)),
      el("div", { class: "meta" }, `reported ${r.latest_report_date} · ${r.latest_publisher}`));
    if (r.latest_basis !== "reported" && r.latest_reported_date) {
      card.append(el("div", { class: "plateau" },
        `last reported: ${fmt(r.latest_reported_value)} on ${r.latest_reported_date}; later values are extrapolated`));
    }
    cards.append(card);
  }
  await Promise.all([...cards.children].map((card) => drawChart(card, card.dataset.series)));
}

async function sources() {
  const data = await getJSON("/api/sources");
  const body = $("#sources tbody");
  body.replaceChildren();
  for (const s of data.rows) {
    body.append(el("tr", {},
      el("td", {}, s.name), el("td", {}, s.status),
      el("td", {}, s.fetched_at || "–"),
      el("td", { class: s.stale ? "stale" : "fresh" },
        s.newest_report ? `${s.stale ? "stale" : "fresh"}: newest report ${s.newest_report}` : "–"),
      el("td", { class: "error" }, s.error || "")));
  }
}

async function checkArticle(text, published) {
  const out = $("#claims");
  out.replaceChildren(el("p", {}, "Checking…"));
  try {
    const res = await getJSON("/api/check", { method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ text, published }) });
    const table = el("table", { id: "claims-table" }, el("thead", {}, el("tr", {},
      ...["figure", "verdict", "the data", "why"].map((h) => el("th", {}, h)))));
    const tbody = el("tbody");
    for (const c of res.claims) {
      const data = c.data ? `${fmt(c.data.value)} on ${c.data.report_date} (${c.data.publisher}, ${c.data.basis})` : "–";
      tbody.append(el("tr", {}, el("td", {}, c.text_span), el("td", { class: `verdict ${c.verdict}` }, c.verdict),
        el("td", {}, data), el("td", {}, c.why)));
    }
    table.append(tbody);
    const n = res.claims.length;
    out.replaceChildren(el("p", {}, `${n} figure${n === 1 ? "" : "s"} checked against snapshot ${res.snapshot}.`), table);
  } catch (err) {
    out.replaceChildren(el("p", { class: "error" }, err.message));
  }
}

document.addEventListener("DOMContentLoaded", () => {
  $("#range").addEventListener("submit", (e) => {
    e.preventDefault();
    for (const card of $("#headlines").children) drawChart(card, card.dataset.series);
  });
  $("#check").addEventListener("submit", (e) => {
    e.preventDefault();
    const f = new FormData(e.target);
    checkArticle(f.get("text"), f.get("published"));
  });
  // ?text=…&published=… fills the check box and runs it: a check can be shared as a link.
  const params = new URLSearchParams(location.search);
  const run = [headlines(), sources()];
  if (params.get("text") && params.get("published")) {
    $("#check textarea").value = params.get("text");
    $("#check input[name=published]").value = params.get("published");
    run.push(checkArticle(params.get("text"), params.get("published")));
  }
  Promise.all(run).catch((err) => { $("#snapshot").textContent = `Could not load: ${err.message}`; })
    .finally(() => document.body.setAttribute("data-ready", "true"));
});
