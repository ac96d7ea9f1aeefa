// The page of `chainrule explore`: talks to the JSON API of chainrule.explore.app.
"use strict";

const $ = (id) => document.getElementById(id);
const REQUEST_TIMEOUT_MS = 15000;

async function api(path, body) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
  try {
    const options = { method: body === undefined ? "GET" : "POST", signal: controller.signal };
    if (body !== undefined) {
      options.headers = { "Content-Type": "application/json" };
      options.body = JSON.stringify(body);
    }
    const response = await fetch(path, options);
    let data;
    try { data = await response.json(); } catch { data = { error: `server answered ${response.status}` }; }
    if (!response.ok) throw new Error(data.error || `server answered ${response.status}`);
    return data;
  } catch (err) {
    if (err.name === "AbortError") throw new Error("no answer from the server in time");
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

function fmt(x) {
  if (x === null || x === undefined) return "undefined here";
  return Number(x).toPrecision(6).replace(/\.?0+(e|$)/, "$1");
}

function showError(el, message) {
  el.textContent = message || "";
  el.hidden = !message;
}

// ---- 1 and 2: the expression --------------------------------------------------------
const state = { expr: "", point: {}, wrt: null, pending: false, again: false };

function buildSliders(variables) {
  const box = $("vars");
  box.innerHTML = "";
  for (const name of variables) {
    const row = document.createElement("div");
    row.className = "var";
    const label = document.createElement("label");
    label.textContent = name + " =";
    label.htmlFor = "slider-" + name;
    const slider = Object.assign(document.createElement("input"),
      { type: "range", min: -5, max: 5, step: 0.01, id: "slider-" + name });
    const number = Object.assign(document.createElement("input"),
      { type: "number", step: "any", id: "value-" + name });
    slider.dataset.var = number.dataset.var = name;
    slider.value = number.value = state.point[name];
    slider.addEventListener("input", () => { number.value = slider.value; moved(name, slider.value); });
    number.addEventListener("change", () => { slider.value = number.value; moved(name, number.value); });
    row.append(label, slider, number);
    box.append(row);
  }
  const wrt = $("wrt");
  wrt.innerHTML = "";
  for (const name of variables) wrt.append(new Option(name, name, false, name === state.wrt));
  $("wrt-box").hidden = variables.length < 2;
}

function moved(name, text) {
  const value = Number(text);
  if (text === "" || !Number.isFinite(value)) return;
  state.point[name] = value;
  request();
}

// One request in flight at a time; moves made meanwhile are sent when it returns.
async function request() {
  if (state.pending) { state.again = true; return; }
  state.pending = true;
  $("busy").hidden = false;
  try {
    const data = await api("/api/expression", { expr: state.expr, point: state.point, wrt: state.wrt });
    showError($("expr-error"), "");
    show(data);
  } catch (err) {
    showError($("expr-error"), err.message);
  } finally {
    state.pending = false;
    $("busy").hidden = true;
    if (state.again) { state.again = false; request(); }
  }
}

function show(data) {
  // The answer may be older than the sliders (they can move while a request is out):
  // keep the values the user set, take the server's only for new variables.
  const fresh = data.variables.join(",") !== Object.keys(state.point).sort().join(",");
  state.wrt = data.wrt;
  if (fresh) {
    const point = {};
    for (const name of data.variables) point[name] = name in state.point ? state.point[name] : data.point[name];
    state.point = point;
    buildSliders(data.variables);
  }
  $("value").textContent = fmt(data.value);
  $("derivative-label").textContent = `∂f/∂${data.wrt}`;
  $("derivative").textContent = fmt(data.derivative);
  $("symbolic").textContent = `${data.result} = ${fmt(data.symbolic_derivative)}` +
    (data.note ? ` (${data.note})` : "");
  $("rules").textContent = [...new Set(data.rules)].join(", ");
  renderMath($("derivation"), data.latex);
  showGraph(data.graph);
}

function renderMath(el, latex) {
  if (window.katex) {
    katex.render(latex, el, { displayMode: true, throwOnError: false });
  } else {
    el.textContent = latex;
  }
}

function showGraph(graph) {
  const box = $("graph");
  if (graph.svg === null) {
    box.innerHTML = "";
    const note = document.createElement("p");
    note.className = "error";
    note.textContent = "Graphviz's `dot` program is not installed, so the graph cannot be drawn " +
      "(install the graphviz system package). Its DOT text:";
    const dot = document.createElement("pre");
    dot.textContent = graph.dot;
    box.append(note, dot);
    return;
  }
  const svg = new DOMParser().parseFromString(graph.svg, "image/svg+xml").documentElement;
  box.replaceChildren(document.importNode(svg, true));
  for (const node of box.querySelectorAll("g.node")) {
    const id = node.querySelector("title")?.textContent;
    const text = graph.hover[id];
    if (!text) continue;
    const activate = () => {
      for (const other of box.querySelectorAll("g.node.active")) other.classList.remove("active");
      node.classList.add("active");
      $("hover").textContent = text;
    };
    node.addEventListener("mouseenter", activate);
    node.addEventListener("click", activate);
  }
}

$("expr-form").addEventListener("submit", (event) => {
  event.preventDefault();
  state.expr = $("expr").value;
  request();
});
$("wrt").addEventListener("change", () => { state.wrt = $("wrt").value; request(); });

// ---- 3: the network ------------------------------------------------------------------
const net = { training: false };

function heatmap(canvas, rows, scale) {
  const ctx = canvas.getContext("2d");
  const h = rows.length, w = rows[0].length;
  const cw = canvas.width / w, ch = canvas.height / h;
  const top = scale || Math.max(1e-12, ...rows.map((r) => Math.max(...r.map(Math.abs))));
  for (let i = 0; i < h; i++) {
    for (let j = 0; j < w; j++) {
      const t = Math.max(-1, Math.min(1, rows[i][j] / top));
      const fade = Math.round(255 * (1 - Math.abs(t)));
      ctx.fillStyle = t >= 0 ? `rgb(255,${fade},${fade})` : `rgb(${fade},${fade},255)`;
      ctx.fillRect(j * cw, i * ch, Math.ceil(cw), Math.ceil(ch));
    }
  }
}

function lossPlot(canvas, history) {
  const ctx = canvas.getContext("2d");
  const W = canvas.width, H = canvas.height, pad = 34;
  ctx.clearRect(0, 0, W, H);
  const hi = Math.max(...history), lo = Math.min(...history);
  ctx.strokeStyle = "#94a3b8";
  ctx.strokeRect(pad, 6, W - pad - 6, H - pad);
  ctx.fillStyle = "#475569";
  ctx.font = "11px sans-serif";
  ctx.fillText(hi.toFixed(2), 2, 14);
  ctx.fillText(lo.toFixed(2), 2, H - pad + 4);
  ctx.fillText(`step ${history.length - 1}`, W - 60, H - 10);
  ctx.strokeStyle = "#dc2626";
  ctx.lineWidth = 2;
  ctx.beginPath();
  history.forEach((loss, k) => {
    const x = pad + (W - pad - 6) * (history.length > 1 ? k / (history.length - 1) : 0);
    const y = 6 + (H - pad) * (1 - (loss - lo) / (hi - lo || 1));
    k ? ctx.lineTo(x, y) : ctx.moveTo(x, y);
  });
  ctx.stroke();
}

function showNetwork(data) {
  $("net-steps").textContent = data.steps;
  $("net-loss").textContent = data.loss.toFixed(4);
  $("net-accuracy").textContent = (100 * data.test_accuracy).toFixed(1) + "%";
  $("net-change").textContent = data.w1_change_norm === null ? "–" : data.w1_change_norm.toPrecision(4);
  $("net-lr").textContent = `learning rate ${data.learning_rate}`;
  $("net-explanation").textContent = data.explanation;
  lossPlot($("loss-plot"), data.history);
  heatmap($("w1"), data.w1);
  if (data.w1_change) heatmap($("w1-change"), data.w1_change);
}

async function netCall(path, body) {
  try {
    const data = await api(path, body);
    showError($("net-error"), "");
    showNetwork(data);
    return data;
  } catch (err) {
    showError($("net-error"), err.message);
    return null;
  }
}

function setButtons(disabled) {
  for (const id of ["net-step", "net-reset"]) $(id).disabled = disabled;
}

$("net-step").addEventListener("click", async () => {
  setButtons(true);
  await netCall("/api/network/step", {});
  setButtons(false);
});
$("net-reset").addEventListener("click", () => netCall("/api/network/reset", {}));
$("net-train").addEventListener("click", async () => {
  if (net.training) { net.training = false; return; }  // the button stops training too
  net.training = true;
  $("net-train").textContent = "Stop";
  setButtons(true);
  for (let chunk = 0; chunk < 20 && net.training; chunk++) {
    if (!(await netCall("/api/network/train", { steps: 10 }))) break;
  }
  net.training = false;
  $("net-train").textContent = "Train";
  setButtons(false);
});

// ---- start -----------------------------------------------------------------------------
window.addEventListener("DOMContentLoaded", () => {
  state.expr = $("expr").value;
  request();
  netCall("/api/network");
});
