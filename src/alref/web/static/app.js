/* alref dashboard: editor submission, live progress (SSE), cancel, tags, plots.
   No inline scripts (the Content-Security-Policy forbids them); data comes from the JSON API. */
"use strict";
(function () {
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const $ = (id) => document.getElementById(id);

  document.body.addEventListener("htmx:configRequest", (e) => { e.detail.headers["X-CSRF-Token"] = csrf; });

  async function post(url, body) {
    const r = await fetch(url, {method: "POST", headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf},
                                body: body === undefined ? "{}" : JSON.stringify(body)});
    let data = null;
    try { data = await r.json(); } catch (err) { data = {error: {key: "", message: r.statusText}}; }
    return {status: r.status, data: data};
  }

  function valueOf(el) {
    const v = el.value.trim();
    if (v === "") return undefined;
    if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(v)) return Number(v);
    if (v === "true" || v === "false") return v === "true";
    return v;
  }

  function clearErrors(form) {
    form.querySelectorAll(".err").forEach((e) => { e.hidden = true; e.textContent = ""; });
    form.querySelectorAll("[aria-invalid]").forEach((e) => e.removeAttribute("aria-invalid"));
  }

  function showError(err, fallbackId) {
    const key = (err && err.key) || "";
    const msg = (key ? key + ": " : "") + ((err && err.message) || "error");
    let box = null, input = null;
    // the deepest field whose key starts the error's key (e.g. cell.current, electrolyte.composition.NaF)
    document.querySelectorAll("[data-key]").forEach((el) => {
      const k = el.dataset.key;
      if ((key === k || key.startsWith(k + ".")) && (!input || k.length > input.dataset.key.length)) input = el;
    });
    if (input) { box = $("e-" + input.dataset.key); input.setAttribute("aria-invalid", "true"); input.focus(); }
    if (!box && $("e-" + key)) box = $("e-" + key);
    if (!box) box = $(fallbackId);
    if (box) { box.textContent = msg; box.hidden = false; }
  }

  function editorRequest(form) {
    const set = {};
    form.querySelectorAll("[data-key]").forEach((el) => {
      if (el.value.trim() === (el.dataset.initial || "").trim()) return;
      const v = valueOf(el);
      if (v !== undefined) set[el.dataset.key] = v;
    });
    const toml = $("toml");
    const scenario = toml && toml.value !== toml.defaultValue ? toml.value : form.dataset.preset;
    const tags = ($("tags").value || "").split(",").map((t) => t.trim()).filter((t) => t);
    return {scenario: scenario, set: set, tags: tags};
  }

  const editor = $("editor");
  if (editor) {
    editor.addEventListener("submit", async (e) => {
      e.preventDefault();
      clearErrors(editor);
      const btn = $("run-btn"); btn.disabled = true;
      const r = await post("/api/simulate", editorRequest(editor));
      btn.disabled = false;
      if (r.status === 202 || r.status === 200) { window.location.href = r.data.links.page; return; }
      showError(r.data.error, "form-error");
    });
    $("cell-btn").addEventListener("click", async () => {
      clearErrors(editor);
      const req = editorRequest(editor); delete req.tags;
      const r = await post("/api/cell", req);
      const out = $("cell-result");
      if (r.status !== 200) { showError(r.data.error, "form-error"); return; }
      const d = r.data;
      out.innerHTML = "";
      const h = document.createElement("h2"); h.textContent = "Steady operating point"; out.appendChild(h);
      const t = document.createElement("table"); t.className = "kv"; const tb = document.createElement("tbody");
      [["cell voltage [V]", d.cell_voltage_v], ["current efficiency [-]", d.current_efficiency],
       ["energy [kWh/kg]", d.energy_kwh_per_kg], ["production [kg/day]", d.production_kg_per_day],
       ["heat loss [kW]", d.heat_loss_kw], ["bath temperature [degC]", d.bath_temperature_c],
       ["ACD [cm]", d.acd_cm], ["thermally self-sufficient", d.thermally_self_sufficient]].forEach(([k, v]) => {
        const tr = document.createElement("tr"); const th = document.createElement("th"); th.scope = "row"; th.textContent = k;
        const td = document.createElement("td"); td.textContent = typeof v === "number" ? v.toPrecision(4) : String(v);
        tr.appendChild(th); tr.appendChild(td); tb.appendChild(tr);
      });
      t.appendChild(tb); out.appendChild(t);
    });
  }

  // run page: progress over server-sent events, cancel, tags
  const job = $("job");
  if (job) {
    const id = job.dataset.job;
    if (job.dataset.status === "queued" || job.dataset.status === "running") {
      const es = new EventSource("/api/jobs/" + id + "/events");
      es.addEventListener("progress", (ev) => {
        const d = JSON.parse(ev.data);
        $("status").textContent = d.status; $("status").className = "status s-" + d.status;
        job.dataset.status = d.status;
        if ($("progress")) { $("progress").value = d.progress; $("progress-text").textContent = Math.round(d.progress * 100) + " %"; }
      });
      es.addEventListener("end", () => { es.close(); window.setTimeout(() => window.location.reload(), 150); });
      es.onerror = () => { es.close(); window.setTimeout(() => window.location.reload(), 1000); };
    }
    const cancel = $("cancel-btn");
    if (cancel) cancel.addEventListener("click", async () => {
      cancel.disabled = true;
      const r = await post("/api/jobs/" + id + "/cancel");
      if (r.status === 200) { $("status").textContent = r.data.status; $("status").className = "status s-" + r.data.status; job.dataset.status = r.data.status; }
    });
    const tf = $("tags-form");
    if (tf) tf.addEventListener("submit", async (e) => {
      e.preventDefault();
      const tags = $("tags").value.split(",").map((t) => t.trim()).filter((t) => t);
      await post("/api/jobs/" + id + "/tags", {tags: tags});
    });
  }

  // plots (Plotly is loaded on the pages that draw)
  const series = {};
  function getSeries(id) {
    if (!series[id]) series[id] = fetch("/api/jobs/" + id + "/series").then((r) => r.json());
    return series[id];
  }
  const config = {displaylogo: false, responsive: true, modeBarButtonsToRemove: ["sendDataToCloud"]};
  const layout = (title, ytitle) => ({title: {text: title}, margin: {t: 40, r: 10, b: 45, l: 60}, height: 320,
                                      xaxis: {title: {text: "time [d]"}}, yaxis: {title: {text: ytitle || ""}},
                                      legend: {orientation: "h", y: -0.25}});
  function drawPlots() {
    if (typeof Plotly === "undefined") return;
    document.querySelectorAll("figure.plot[data-job]").forEach(async (el) => {
      const d = await getSeries(el.dataset.job);
      const cols = JSON.parse(el.dataset.columns);
      const x = d.columns["Time [d]"];
      const traces = cols.map((c) => ({x: x, y: d.columns[c], name: c, mode: "lines+markers", type: "scatter"}));
      await Plotly.newPlot(el, traces, layout(el.dataset.title, cols.length === 1 ? cols[0] : ""), config);
      el.classList.add("drawn");
    });
    document.querySelectorAll("figure.plot[data-jobs]").forEach(async (el) => {
      const ids = JSON.parse(el.dataset.jobs); const col = el.dataset.column;
      const all = await Promise.all(ids.map(getSeries));
      const traces = all.map((d, i) => ({x: d.columns["Time [d]"], y: d.columns[col] || [], name: ids[i], mode: "lines", type: "scatter"}));
      await Plotly.newPlot(el, traces, layout(col, col), config);
      el.classList.add("drawn");
    });
    const a = $("assessment-data");
    if (a && $("waterfall")) {
      const d = JSON.parse(a.textContent);
      const names = ["revenue"], vals = [d.revenue], measure = ["absolute"];
      Object.entries(d.costs || {}).forEach(([k, v]) => { names.push(k); vals.push(-v); measure.push("relative"); });
      names.push("margin"); vals.push(0); measure.push("total");
      Plotly.newPlot($("waterfall"), [{type: "waterfall", x: names, y: vals, measure: measure}],
                     {title: {text: "Margin waterfall [USD/t]"}, height: 340, margin: {t: 40, b: 110, l: 60, r: 10}}, config)
        .then(() => $("waterfall").classList.add("drawn"));
      const scopes = d.scopes || {};
      Plotly.newPlot($("footprint"), [{type: "bar", x: Object.keys(scopes), y: Object.values(scopes)}],
                     {title: {text: "Footprint by scope [t CO2e/t]"}, height: 300, margin: {t: 40, b: 60, l: 60, r: 10}}, config)
        .then(() => $("footprint").classList.add("drawn"));
    }
    const s = $("study-data");
    if (s && $("study-plot")) {
      const d = JSON.parse(s.textContent);
      const outs = Object.entries(d.outputs || {}).filter(([, v]) => v && v.n);
      const traces = [{type: "bar", x: outs.map(([k]) => k), y: outs.map(([, v]) => (v.sd && v.mean) ? v.sd / Math.abs(v.mean) : 0),
                       name: "relative spread (sd/|mean|)"}];
      Plotly.newPlot($("study-plot"), traces, {title: {text: "Relative spread of the outputs"}, height: 340,
                                               margin: {t: 40, b: 140, l: 60, r: 10}}, config)
        .then(() => $("study-plot").classList.add("drawn"));
    }
  }
  if (document.readyState === "complete") drawPlots(); else window.addEventListener("load", drawPlots);

  // studies
  const sf = $("study-form");
  if (sf) sf.addEventListener("submit", async (e) => {
    e.preventDefault(); clearErrors(sf);
    const set = {};
    $("s-set").value.split("\n").map((l) => l.trim()).filter((l) => l).forEach((l) => {
      const i = l.indexOf("="); if (i > 0) { const v = l.slice(i + 1).trim(); let val = v;
        try { val = JSON.parse(v); } catch (err) { val = v; } set[l.slice(0, i).trim()] = val; }
    });
    const body = {kind: $("s-kind").value, scenario: $("s-scenario").value, set: set,
                  vary: $("s-vary").value.split("\n").map((l) => l.trim()).filter((l) => l),
                  n: parseInt($("s-n").value, 10), seed: parseInt($("s-seed").value, 10) || 0};
    const r = await post("/api/studies", body);
    if (r.status === 202 || r.status === 200) { window.location.href = r.data.links.page; return; }
    showError(r.data.error, "study-error");
  });

  const vb = $("validate-btn");
  if (vb) vb.addEventListener("click", async () => {
    vb.disabled = true;
    const r = await post("/api/validate");
    if (r.data && r.data.links) window.location.href = r.data.links.page;
  });
})();
