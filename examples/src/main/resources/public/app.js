// The workout page: plain JavaScript, no build step, nothing loaded from elsewhere.
// Every API call goes through api(), which turns 400s into readable messages and 503s (or an
// unreachable service) into the outage banner, then polls /api/health until the store is back.
"use strict";

const PAGE_SIZE = 8;
const HEALTH_POLL_MS = 2000;

const state = {
  user: null,
  program: [],            // planned workouts, program order
  done: new Map(),        // "week:day" -> completion
  cursors: [null],        // cursors of the completed pages visited; the last one is shown
  nextCursor: null,
  compare: false,
  outage: false,
  selected: null,         // the workout in the dialog
};

const $ = (id) => document.getElementById(id);
const keyOf = (week, day) => `${week}:${day}`;
const tag = (week, day) => `W${String(week).padStart(2, "0")} D${day}`;

class ApiError extends Error {
  constructor(status, body) {
    super((body && body.message) || `the service answered ${status}`);
    this.status = status;
    this.field = body ? body.field : null;
  }
}

class Outage extends Error {}

/** Reads the Server-Timing header the service sets from kvstore's own accounting. */
function parseServerTiming(header) {
  const metrics = {};
  for (const part of (header || "").split(",")) {
    const [name, ...params] = part.trim().split(";");
    if (!name) continue;
    const metric = {};
    for (const p of params) {
      const eq = p.indexOf("=");
      if (eq < 0) continue;
      metric[p.slice(0, eq).trim()] = p.slice(eq + 1).trim().replace(/^"|"$/g, "");
    }
    metrics[name] = metric;
  }
  const num = (name, key) => (metrics[name] && metrics[name][key] !== undefined
      ? Number.parseFloat(metrics[name][key]) : null);
  return {
    roundTrips: num("store-rt", "desc"),
    storeMs: num("store", "dur"),
    appMs: num("app", "dur"),
    nearCacheHits: num("nc-hit", "desc"),
    unknown: num("store-unknown", "desc"),
  };
}

async function api(method, path, body) {
  let response;
  try {
    response = await fetch(path, {
      method,
      headers: body === undefined ? {} : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    enterOutage("The workout service cannot be reached.");
    throw new Outage("service unreachable");
  }
  const text = await response.text();
  let json = null;
  if (text) {
    try { json = JSON.parse(text); } catch (e) { json = null; }
  }
  if (response.status === 503) {
    enterOutage(json && json.message ? json.message : "The workout store is unavailable.");
    throw new Outage("store unavailable");
  }
  if (!response.ok) {
    throw new ApiError(response.status, json);
  }
  leaveOutage();
  return { body: json, timing: parseServerTiming(response.headers.get("Server-Timing")) };
}

// ---- banners, outage and recovery -------------------------------------------------------

let bannerTimer = null;

function banner(kind, html) {
  const el = $("banner");
  clearTimeout(bannerTimer);
  if (!kind) {
    el.hidden = true;
    return;
  }
  el.dataset.kind = kind;
  el.innerHTML = html;
  el.hidden = false;
}

function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({
    "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}

function showError(error) {
  if (error instanceof Outage) return; // the outage banner already says it
  const where = error.field ? ` <span class="muted">(${escapeHtml(error.field)})</span>` : "";
  banner("error", `<b>Not accepted</b> <span>${escapeHtml(error.message)}${where}</span>`);
}

function setStatus(kind, text) {
  const el = $("store-status");
  el.dataset.state = kind;
  el.querySelector(".text").textContent = text;
}

function enterOutage(message) {
  setStatus("down", "store down");
  const sentence = message.charAt(0).toUpperCase() + message.slice(1).replace(/\.?$/, ".");
  banner("outage", `<b>Outage</b> <span>${escapeHtml(sentence)}
    Checking again every ${HEALTH_POLL_MS / 1000} s…</span>`);
  if (state.outage) return;
  state.outage = true;
  pollHealth();
}

function leaveOutage() {
  setStatus("up", "store up");
}

async function pollHealth() {
  while (state.outage) {
    await new Promise((resolve) => setTimeout(resolve, HEALTH_POLL_MS));
    try {
      const response = await fetch("/api/health");
      if (response.ok) {
        state.outage = false;
        leaveOutage();
        banner("ok", "<b>Back</b> <span>The store answers again; the page was reloaded.</span>");
        bannerTimer = setTimeout(() => banner(null), 4000);
        await reloadAll();
      }
    } catch (e) {
      // still unreachable: keep polling
    }
  }
}

// ---- the program grid -------------------------------------------------------------------

function phaseOf(workout) {
  return workout.title.split(":")[0];
}

function buildGrid() {
  const grid = $("grid");
  grid.querySelectorAll(".week-row").forEach((row) => row.remove());
  let previousPhase = null;
  for (let week = 1; week <= 16; week++) {
    const days = state.program.filter((w) => w.week === week);
    const phase = phaseOf(days[0]);
    const row = document.createElement("div");
    row.className = "week-row" + (phase !== previousPhase && week > 1 ? " phase-start" : "");
    row.setAttribute("role", "row");
    const label = document.createElement("div");
    label.className = "week-label";
    label.setAttribute("role", "rowheader");
    label.innerHTML = `<b>Week ${week}</b><span>${phase !== previousPhase ? escapeHtml(phase) : "&nbsp;"}</span>`;
    row.appendChild(label);
    previousPhase = phase;
    for (const workout of days) {
      const main = workout.exercises[0];
      const cell = document.createElement("button");
      cell.type = "button";
      cell.className = "cell";
      cell.title = main.name;   // a narrow column ends long names in "…"
      cell.id = `cell-${workout.week}-${workout.day}`;
      cell.dataset.week = workout.week;
      cell.dataset.day = workout.day;
      cell.setAttribute("role", "gridcell");
      cell.tabIndex = week === 1 && workout.day === 1 ? 0 : -1;
      cell.innerHTML = `<span class="lift">${escapeHtml(main.name)}</span>
        <span class="scheme">${main.sets}×${main.reps}</span>`;
      cell.addEventListener("click", () => openDialog(workout));
      cell.addEventListener("keydown", moveFocus);
      row.appendChild(cell);
    }
    grid.appendChild(row);
  }
}

function moveFocus(event) {
  const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
  const move = moves[event.key];
  if (!move) return;
  event.preventDefault();
  const week = Math.min(16, Math.max(1, Number(event.currentTarget.dataset.week) + move[0]));
  const day = Math.min(4, Math.max(1, Number(event.currentTarget.dataset.day) + move[1]));
  const target = $(`cell-${week}-${day}`);
  event.currentTarget.tabIndex = -1;
  target.tabIndex = 0;
  target.focus();
}

function paintGrid() {
  for (const workout of state.program) {
    const cell = $(`cell-${workout.week}-${workout.day}`);
    const done = state.done.get(keyOf(workout.week, workout.day));
    cell.setAttribute("aria-pressed", done ? "true" : "false");
    cell.setAttribute("aria-label", `Week ${workout.week} day ${workout.day}, ${workout.title}`
        + (done ? ", done" : ", not done"));
  }
  const n = state.done.size;
  $("progress-fill").style.width = `${(n / state.program.length) * 100}%`;
  $("progress-text").innerHTML = `<b>${n}</b> of ${state.program.length} done`;
}

// ---- what a load cost ---------------------------------------------------------------------

function ms(millis) {
  return `${Math.round(millis).toLocaleString("en-GB")} ms`;
}

function plural(n, one, many) {
  return n === null ? `? ${many}` : `${n} ${n === 1 ? one : many}`;
}

function showCost(prefix, completions, timing) {
  const trips = timing.roundTrips;
  $(`${prefix}-trips`).textContent = trips === null ? "?" : trips;
  $(`${prefix}-trips-unit`).textContent = trips === 1 ? "round trip" : "round trips";
  $(`${prefix}-time`).textContent = timing.storeMs === null ? "" : `${ms(timing.storeMs)} in the store`;
  const readout = $(`readout-${prefix}`);
  readout.dataset.roundTrips = trips === null ? "" : String(trips);
  readout.dataset.completions = String(completions);
  let text = `${plural(completions, "completion", "completions")}, `
      + `${plural(trips, "store round trip", "store round trips")}, ${ms(timing.storeMs || 0)}`;
  if (timing.nearCacheHits) text += ` (${timing.nearCacheHits} near-cache hits)`;
  readout.textContent = text;
}

async function loadProgress() {
  const user = encodeURIComponent(state.user);
  const batched = await api("GET", `/api/users/${user}/progress`);
  state.done = new Map(batched.body.completions.map((c) => [keyOf(c.week, c.day), c]));
  paintGrid();
  showCost("batched", batched.body.completions.length, batched.timing);
  if (state.compare) {
    const box = $("sequential-box");
    $("readout-sequential").textContent = "Replaying 64 single reads…";
    const old = await api("GET", `/api/demo/sequential-gets/users/${user}/progress`);
    box.dataset.state = "on";
    showCost("sequential", old.body.completions.length, old.timing);
  }
}

function resetSequential() {
  $("sequential-box").dataset.state = "off";
  $("sequential-trips").textContent = "–";
  $("sequential-time").textContent = "–";
  $("readout-sequential").textContent = "Off";
  $("readout-sequential").dataset.roundTrips = "";
}

// ---- the completed list, paged with the API's cursors -----------------------------------

async function loadCompleted() {
  const cursor = state.cursors[state.cursors.length - 1];
  const query = `limit=${PAGE_SIZE}` + (cursor ? `&cursor=${encodeURIComponent(cursor)}` : "");
  const page = await api("GET", `/api/users/${encodeURIComponent(state.user)}/workouts/completed?${query}`);
  const list = $("completed-list");
  list.replaceChildren();
  for (const c of page.body.items) {
    const planned = state.program.find((w) => w.week === c.week && w.day === c.day);
    const li = document.createElement("li");
    li.dataset.week = c.week;
    li.dataset.day = c.day;
    const when = new Date(c.completedAt).toLocaleDateString("en-GB", { day: "numeric", month: "short" });
    li.innerHTML = `<span class="tag">${tag(c.week, c.day)}</span>
      <span class="what"><b>${escapeHtml(planned ? planned.title.split(": ")[1] : "Workout")}</b>
      <span>${escapeHtml(when)}${c.notes ? " · " + escapeHtml(c.notes) : ""}</span></span>
      <span class="mins">${c.durationMinutes} min</span>`;
    list.appendChild(li);
  }
  state.nextCursor = page.body.nextCursor;
  const pageNumber = state.cursors.length;
  $("completed-empty").hidden = page.body.items.length > 0 || pageNumber > 1;
  $("page-label").textContent = page.body.items.length ? `page ${pageNumber} · ${PAGE_SIZE} per page` : "";
  $("prev-page").disabled = pageNumber === 1;
  $("next-page").disabled = !state.nextCursor;
}

// ---- recording and undoing --------------------------------------------------------------

function openDialog(workout) {
  state.selected = workout;
  const done = state.done.get(keyOf(workout.week, workout.day));
  $("dialog-when").textContent = `Week ${workout.week} · Day ${workout.day}`;
  $("dialog-title").textContent = workout.title;
  $("dialog-exercises").innerHTML = workout.exercises
      .map((e) => `<li>${escapeHtml(e.name)}<span>${e.sets} × ${e.reps}</span></li>`).join("");
  $("dialog-done").hidden = !done;
  if (done) {
    const when = new Date(done.completedAt).toLocaleString("en-GB",
        { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
    $("dialog-done").textContent = `Done ${when}, ${done.durationMinutes} min`
        + (done.notes ? ` · “${done.notes}”` : "");
  }
  $("dialog-fields").hidden = Boolean(done);
  $("record-button").hidden = Boolean(done);
  $("undo-button").hidden = !done;
  $("duration-input").value = "45";
  $("notes-input").value = "";
  clearFieldError();
  $("workout-dialog").showModal();
  (done ? $("undo-button") : $("duration-input")).focus();
}

function clearFieldError() {
  $("dialog-error").hidden = true;
  $("duration-input").removeAttribute("aria-invalid");
}

function closeDialog() {
  const workout = state.selected;
  $("workout-dialog").close();
  if (workout) $(`cell-${workout.week}-${workout.day}`).focus();
}

async function record(event) {
  event.preventDefault();
  const w = state.selected;
  clearFieldError();
  const raw = $("duration-input").value.trim();
  const minutes = /^\d+$/.test(raw) ? Number(raw) : raw; // let the service judge it
  const notes = $("notes-input").value.trim();
  const body = { durationMinutes: minutes };
  if (notes) body.notes = notes;
  await change(w, "PUT", body);
}

async function undo() {
  await change(state.selected, "DELETE");
}

async function change(w, method, body) {
  const cell = $(`cell-${w.week}-${w.day}`);
  cell.classList.add("busy");
  try {
    await api(method, `/api/users/${encodeURIComponent(state.user)}/workouts/${w.week}/${w.day}`, body);
    closeDialog();
    banner(null);
    await Promise.all([loadProgress(), loadCompleted()]);
  } catch (error) {
    if (error instanceof ApiError) {
      $("dialog-error").textContent = error.message;
      $("dialog-error").hidden = false;
      if (error.field === "durationMinutes") $("duration-input").setAttribute("aria-invalid", "true");
    } else if (error instanceof Outage) {
      closeDialog();
    } else {
      throw error;
    }
  } finally {
    cell.classList.remove("busy");
  }
}

// ---- start --------------------------------------------------------------------------------

async function reloadAll() {
  try {
    await Promise.all([loadProgress(), loadCompleted()]);
    document.body.dataset.ready = "true";
  } catch (error) {
    showError(error);
  }
}

function openUser(user) {
  state.user = user;
  state.cursors = [null];
  $("user-input").value = user;
  const url = new URL(window.location.href);
  url.searchParams.set("user", user);
  window.history.replaceState(null, "", url);
  return reloadAll();
}

async function start() {
  $("user-form").addEventListener("submit", (e) => {
    e.preventDefault();
    banner(null);
    openUser($("user-input").value.trim());
  });
  $("workout-form").addEventListener("submit", record);
  $("undo-button").addEventListener("click", undo);
  $("dialog-cancel").addEventListener("click", closeDialog);
  $("next-page").addEventListener("click", () => {
    state.cursors.push(state.nextCursor);
    loadCompleted().catch(showError);
  });
  $("prev-page").addEventListener("click", () => {
    state.cursors.pop();
    loadCompleted().catch(showError);
  });
  $("compare-switch").addEventListener("change", (e) => {
    state.compare = e.target.checked;
    if (!state.compare) resetSequential();
    loadProgress().catch(showError);
  });
  try {
    state.program = (await api("GET", "/api/program")).body;
  } catch (error) {
    showError(error);
    return;
  }
  buildGrid();
  const user = new URLSearchParams(window.location.search).get("user") || "user-42";
  await openUser(user);
}

start();
