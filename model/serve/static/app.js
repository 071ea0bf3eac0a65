"use strict";
// The page: read a text or a file with /api/view, search the directory with /api/officials and
// /api/people/{id}. The highlighted text arrives as one HTML string and is set once (fast on a
// 1 MB page); tables are built from JSON with textContent, so nothing from a page is run as HTML.

const $ = (id) => document.getElementById(id);

function cell(row, value, className) {
  const td = row.insertCell();
  if (value instanceof Node) td.append(value); else td.textContent = value ?? "";
  if (className) td.className = className;
  return td;
}

function sourceLink(hit) {
  const a = document.createElement("a");
  a.href = `/documents/${hit.document_id}?start=${hit.sentence_start}&end=${hit.sentence_end}#focus`;
  a.textContent = hit.sentence;
  const where = document.createElement("small");
  where.textContent = hit.source;
  const box = document.createDocumentFragment();
  box.append(a, where);
  return box;
}

function say(el, message, isError) {
  el.textContent = message;
  el.classList.toggle("error", Boolean(isError));
}

async function fetchJSON(url, options) {
  const response = await fetch(url, options);
  let data = null;
  try { data = await response.json(); } catch (e) { /* not JSON: reported below */ }
  if (!response.ok) throw new Error((data && data.error) || `the server answered ${response.status}`);
  return data;
}

function nextPaint() {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

async function read(body, contentType, name) {
  const status = $("status");
  $("extract").disabled = true;
  say(status, `reading ${name}…`);
  try {
    const data = await fetchJSON("/api/view", { method: "POST", headers: { "Content-Type": contentType }, body });
    const began = performance.now();
    $("highlighted").innerHTML = data.html;
    const rows = document.createDocumentFragment();
    for (const official of data.officials) {
      const row = document.createElement("tr");
      cell(row, official.person);
      cell(row, official.positions.join("; "));
      cell(row, String(official.mentions), "num");
      rows.append(row);
    }
    $("officials").tBodies[0].replaceChildren(rows);
    $("result").hidden = false;
    await nextPaint();
    const renderMs = Math.round(performance.now() - began);
    status.dataset.serverSeconds = data.seconds;
    status.dataset.renderMs = renderMs;
    say(status, `${name}: ${data.characters.toLocaleString()} characters, ${data.entities} entities, ` +
      `${data.relations} relations, ${data.officials.length} people; model ${data.seconds} s, page ${renderMs} ms`);
  } catch (err) {
    say(status, err.message, true);
  } finally {
    $("extract").disabled = false;
  }
}

$("read-form").addEventListener("submit", (event) => {
  event.preventDefault();
  read(JSON.stringify({ text: $("text").value }), "application/json", "the text");
});

$("file").addEventListener("change", () => {
  const file = $("file").files[0];
  if (file) read(file, "text/plain", file.name);  // the server decodes it as canbo predict reads a file
});

async function search() {
  const status = $("search-status");
  const query = new URLSearchParams();
  for (const key of ["office", "locality", "person"]) {
    const value = $(`q-${key}`).value.trim();
    if (value) query.set(key, value);
  }
  say(status, "searching…");
  try {
    const hits = await fetchJSON(`/api/officials?${query}`);
    const rows = document.createDocumentFragment();
    for (const hit of hits) {
      const row = document.createElement("tr");
      const who = document.createElement("a");
      who.href = `#person-${hit.person_id}`;
      who.textContent = hit.person;
      who.addEventListener("click", (event) => { event.preventDefault(); showPerson(hit.person_id); });
      cell(row, who);
      const office = cell(row, hit.office);
      if (hit.inferred) office.insertAdjacentHTML("beforeend", ' <span class="inferred">(inferred)</span>');
      cell(row, hit.locality);
      cell(row, hit.as_of);
      cell(row, sourceLink(hit), "sentence");
      rows.append(row);
    }
    $("results").tBodies[0].replaceChildren(rows);
    $("results").hidden = hits.length === 0;
    say(status, hits.length ? `${hits.length} result${hits.length === 1 ? "" : "s"}` : "no results");
  } catch (err) {
    $("results").hidden = true;
    say(status, err.message, true);
  }
}

async function showPerson(id) {
  try {
    const person = await fetchJSON(`/api/people/${id}`);
    $("person-name").textContent = person.name;
    const rows = document.createDocumentFragment();
    for (const office of person.offices) {
      const row = document.createElement("tr");
      cell(row, office.as_of);
      cell(row, office.office);
      cell(row, office.locality);
      cell(row, sourceLink(office), "sentence");
      rows.append(row);
    }
    $("person-offices").tBodies[0].replaceChildren(rows);
    $("person").hidden = false;
    $("person").scrollIntoView({ block: "nearest" });
  } catch (err) {
    say($("search-status"), err.message, true);
  }
}

$("search-form").addEventListener("submit", (event) => { event.preventDefault(); search(); });
