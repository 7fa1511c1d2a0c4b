// The HTML report's pages, drawn from the JSON the binary inlines
// (src/prometheus/report/html_data.cc) with Chart.js. Data is only ever set as
// text (never as HTML): application names and messages come from logs.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("prometheus-data").textContent);
  const charts = {};

  // ---- Formatting, as the terminal output does (src/prometheus/base/units.cc).
  function fmtDuration(ms) {
    if (ms === null || ms === undefined) return "–";
    if (Math.round(ms) < 1000) return Math.round(ms) + " ms";
    const s = ms / 1000;
    if (Math.round(s * 10) / 10 < 60) return s.toFixed(1) + " s";
    const whole = Math.max(60, Math.floor(s));
    const pad = (n) => String(n).padStart(2, "0");
    if (whole < 3600) return Math.floor(whole / 60) + "m " + pad(whole % 60) + "s";
    return Math.floor(whole / 3600) + "h " + pad(Math.floor(whole / 60) % 60) + "m";
  }
  function fmtBytes(bytes) {
    const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
    let unit = 0;
    while (Math.abs(Math.round(bytes * 10) / 10) >= 1024 && unit < 5) { bytes /= 1024; unit++; }
    return unit === 0 ? Math.round(bytes) + " B" : bytes.toFixed(1) + " " + units[unit];
  }
  function fmtFigure(x) {
    if (x === null || x === undefined) return "–";
    if (Math.abs(x) >= 1000) return Math.round(x).toLocaleString("en-US");
    return Number(x.toPrecision(3)).toString();
  }
  function fmtTime(ms) {
    return ms ? new Date(ms).toISOString().replace("T", " ").slice(0, 16) + " UTC" : "–";
  }
  const costInfo = data.cost || { known: false, basis: [], currency: "" };
  function fmtCost(x) {
    if (x === null || x === undefined) return "–";
    return fmtFigure(x) + (costInfo.currency ? " " + costInfo.currency : "");
  }
  function executors(n) { return n + (n === 1 ? " executor" : " executors"); }
  function fmtPercent(f) { return (f >= 0 ? "+" : "") + (f * 100).toFixed(0) + "%"; }

  // ---- DOM helpers: strings become text nodes, never markup.
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else if (key === "text") node.textContent = value;
      else node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }
  function css(name) {
    return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  }
  function card(label, value) {
    return el("div", { class: "card" }, el("div", { class: "muted" }, label),
      el("div", { class: "value" }, value));
  }

  // ---- Charts: one registry, redrawn when the theme changes.
  const builders = {};
  function chart(id, build) {
    builders[id] = build;
    draw(id);
  }
  function draw(id) {
    if (charts[id]) charts[id].destroy();
    const canvas = document.getElementById(id);
    if (!canvas) { delete charts[id]; return; }
    Chart.defaults.color = css("--fg");
    Chart.defaults.borderColor = css("--line");
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    const config = builders[id]();
    config.options = Object.assign({ animation: false, responsive: true, maintainAspectRatio: false },
      config.options || {});
    charts[id] = new Chart(canvas, config);
  }
  function redrawAll() { for (const id of Object.keys(builders)) draw(id); }
  function canvasBox(id, label, height) {
    return el("div", { class: "chart", style: height ? "height:" + height + "px" : null },
      el("canvas", { id, role: "img", "aria-label": label }));
  }

  // ---- Header and theme.
  function header() {
    const theme = el("button", {
      id: "theme-toggle", type: "button", "aria-label": "Switch light or dark theme",
      onclick: () => {
        const dark = document.documentElement.dataset.theme
          ? document.documentElement.dataset.theme === "dark"
          : matchMedia("(prefers-color-scheme: dark)").matches;
        document.documentElement.dataset.theme = dark ? "light" : "dark";
        redrawAll();
      },
    }, "Light / dark");
    return el("header", {},
      el("h1", {}, data.title || "Prometheus report"),
      el("nav", { "aria-label": "Sections" },
        el("a", { href: "#overview" }, "Overview"),
        el("a", { href: "#recommendations" }, "Recommendations"),
        el("a", { href: "#savings" }, "Savings"),
        el("a", { href: "#drilldown" }, "Application")),
      theme);
  }

  // ---- Overview: jobs ranked, their trends.
  const price = data.price;
  const costed = costInfo.known;
  let rankBy = "cost";
  let trendJob = data.jobs.length ? data.jobs[0].key : null;
  let trendMetric = "duration_ms";
  const metrics = {
    duration_ms: ["Duration", fmtDuration], task_ms: ["Task time", fmtDuration],
    spill_bytes: ["Spill", fmtBytes], shuffle_bytes: ["Shuffle", fmtBytes],
    core_hours: ["Core-hours", fmtFigure],
  };
  if (costed) metrics.cost = ["Cost", fmtCost];

  function rankedJobs() {
    const key = rankBy === "time" ? "total_ms" : costed ? "cost" : "core_hours";
    return data.jobs.slice().sort((a, b) => (b[key] || 0) - (a[key] || 0));
  }

  function overview() {
    const t = data.totals;
    const section = el("section", { id: "overview", "aria-labelledby": "overview-h" },
      el("h2", { id: "overview-h" }, "Overview"),
      el("p", { class: "muted" }, "From " + data.source + ", written " + fmtTime(data.generated_at) + "."),
      el("div", { class: "cards" },
        card("Runs", t.runs.toLocaleString("en-US")), card("Jobs", t.jobs.toLocaleString("en-US")),
        card("Core-hours", fmtFigure(t.core_hours)),
        costed ? card("Cost", fmtCost(t.cost)) : null,
        card("Task time", fmtDuration(t.task_ms)),
        card("Recommendations", t.recommendations.toLocaleString("en-US"))),
      el("h3", {}, "Jobs ranked"),
      el("p", { class: "muted", id: "cost-basis" }, costed
        ? "Costs, runs by basis: " + costInfo.basis.join("; ") + "."
        : "No costs: the lake holds none (observe --databricks stores them) and no --core-hour-price was given; jobs are ranked by core-hours."),
      el("div", { class: "toolbar", role: "group", "aria-label": "Rank jobs by" },
        el("span", { class: "muted" }, "Rank by"),
        el("button", { type: "button", id: "rank-cost", "aria-pressed": String(rankBy !== "time"),
          onclick: () => { rankBy = "cost"; renderOverview(); } }, costed ? "Cost" : "Core-hours"),
        el("button", { type: "button", id: "rank-time", "aria-pressed": String(rankBy === "time"),
          onclick: () => { rankBy = "time"; renderOverview(); } }, "Time")),
      canvasBox("chart-jobs", "Jobs ranked by " + (rankBy === "time" ? "time" : "cost"),
        Math.max(160, Math.min(15, data.jobs.length) * 26 + 60)),
      jobsTable(),
      el("h3", { id: "trend-h" }, "Trend: " + (trendJob || "no job")),
      el("div", { class: "toolbar" },
        el("label", { for: "trend-metric" }, "Metric"),
        el("select", { id: "trend-metric", onchange: (e) => { trendMetric = e.target.value; draw("chart-trend"); } },
          Object.entries(metrics).map(([k, [label]]) =>
            el("option", { value: k, selected: k === trendMetric }, label)))),
      canvasBox("chart-trend", "Trend of the selected job over its runs, with the fixes merged"),
      trendFixes());
    return section;
  }

  // The loop's fixes merged in the trend's job, as links beside the chart's markers.
  function trendFixes() {
    const job = data.jobs.find((j) => j.key === trendJob);
    const fixes = job ? job.fixes || [] : [];
    if (!fixes.length) return el("p", { class: "muted", id: "trend-fixes" }, "No Prometheus fix merged in this job.");
    return el("ul", { id: "trend-fixes", "aria-label": "Fixes merged" }, fixes.map((f) => el("li", {},
      "Merged " + fmtTime(f.merged_at) + ": ",
      el("a", { href: f.url || null, class: "pull-link" }, "#" + f.number), " " + f.title +
      (f.verdict ? " (" + f.verdict + ")" : ""))));
  }

  function jobsTable() {
    const jobs = rankedJobs().slice(0, 50);
    return el("table", { id: "jobs-table" },
      el("caption", { class: "sr-only" }, "Jobs ranked"),
      el("thead", {}, el("tr", {},
        el("th", { class: "num" }, "#"), el("th", {}, "Job"), el("th", { class: "num" }, "Runs"),
        el("th", { class: "num" }, "Total time"), el("th", { class: "num" }, "Mean time"),
        el("th", { class: "num" }, "Core-hours"), costed ? el("th", { class: "num" }, "Cost") : null,
        el("th", {}, ""))),
      el("tbody", {}, jobs.map((job, i) => el("tr", {},
        el("td", { class: "num" }, i + 1), el("td", {}, job.key),
        el("td", { class: "num" }, job.runs), el("td", { class: "num" }, fmtDuration(job.total_ms)),
        el("td", { class: "num" }, fmtDuration(job.mean_ms)),
        el("td", { class: "num" }, fmtFigure(job.core_hours)),
        costed ? el("td", { class: "num" }, fmtCost(job.cost)) : null,
        el("td", {}, el("button", { type: "button", class: "trend-button",
          "aria-label": "Trend of " + job.key,
          onclick: () => { trendJob = job.key; renderOverview(); document.getElementById("chart-trend").focus(); } },
        "Trend"))))));
  }

  function renderOverview() {
    const old = document.getElementById("overview");
    old.replaceWith(overview());
    chart("chart-jobs", () => {
      const jobs = rankedJobs().slice(0, 15);
      const time = rankBy === "time";
      return {
        type: "bar",
        data: { labels: jobs.map((j) => j.key), datasets: [{
          label: time ? "Total time (hours)" : costed ? "Cost" : "Core-hours",
          data: jobs.map((j) => time ? j.total_ms / 3.6e6 : costed ? j.cost : j.core_hours),
          backgroundColor: css("--accent") }] },
        options: { indexAxis: "y", scales: { x: { ticks: { callback: (v) => time ? fmtDuration(v * 3.6e6) : fmtFigure(v) } } },
          plugins: { legend: { display: false }, tooltip: { callbacks: {
          label: (c) => time ? fmtDuration(c.raw * 3.6e6) : costed ? fmtCost(c.raw) : fmtFigure(c.raw) } } } },
      };
    });
    chart("chart-trend", () => {
      const job = data.jobs.find((j) => j.key === trendJob);
      const [label, fmt] = metrics[trendMetric];
      const points = job ? job.trend[trendMetric].map((v, i) => ({ x: job.trend.t[i], y: v }))
        .filter((p) => p.y !== null) : [];
      const top = Math.max(0, ...points.map((p) => p.y)) || 1;
      // A fix merged: a vertical line at its merge time, named by its pull request.
      const markers = (job ? job.fixes || [] : []).map((f) => ({
        type: "line", label: "#" + f.number + " merged", fixNumber: f.number,
        data: [{ x: f.merged_at, y: 0 }, { x: f.merged_at, y: top }],
        borderColor: css("--accent3"), backgroundColor: css("--accent3"), borderDash: [6, 4],
        borderWidth: 2, pointRadius: [0, 5], pointStyle: "triangle" }));
      return {
        type: "line",
        data: { datasets: [{ label: label + (job && job.trend.bucketed ? " (mean per bucket of runs)" : ""),
          data: points, borderColor: css("--accent"), backgroundColor: css("--accent"), pointRadius: 2 },
        ...markers] },
        options: { scales: {
          x: { type: "linear", ticks: { maxTicksLimit: 6, callback: (v) => fmtTime(v).slice(0, 10) } },
          y: { beginAtZero: true, ticks: { callback: (v) => fmt(v) } } },
          plugins: { tooltip: { callbacks: {
            title: (items) => fmtTime(items[0].raw.x),
            label: (c) => c.dataset.fixNumber ? c.dataset.label : label + ": " + fmt(c.raw.y) } } } },
      };
    });
  }

  // ---- Recommendations with their evidence and fix.
  let shownRecommendations = 50;
  let severityFilter = "";
  // A fix in one line: the setting, the advice, or the kind.
  function fixSummary(fix) {
    if (!fix || typeof fix !== "object") return null;
    if (fix.kind === "conf") return "Set " + fix.key + "=" + fix.value + (fix.applies ? " (" + fix.applies + ")" : "");
    if (fix.advice) return fix.advice;
    return "Fix: " + String(fix.kind).replace(/_/g, " ");
  }
  // The pull request that carries the fix out, and its diff; else why none.
  function proposal(r) {
    const p = r.pull;
    if (!p && r.would_fix) {
      return el("div", { class: "proposal would-fix" },
        el("p", {}, "No fix proposed yet; `prometheus fix` would change the repository given:"),
        el("details", { class: "diff" }, el("summary", {}, "Diff fix would make"), diffBlock(r.would_fix)));
    }
    if (!p && r.would_fix === "") {
      return el("p", { class: "muted no-fix" },
        "No fix proposed; `prometheus fix` finds nothing to change in the repository given.");
    }
    if (!p) return el("p", { class: "muted no-fix" }, "No fix proposed.");
    const what = "Proposed in ";
    const status = " (" + p.state + (p.verdict ? ", " + p.verdict : "") + ")";
    return el("div", { class: "proposal" },
      el("p", {}, what, el("a", { href: p.url || null, class: "pull-link" }, "#" + p.number), status),
      p.diff ? el("details", { class: "diff" }, el("summary", {}, "Diff of #" + p.number), diffBlock(p.diff))
        : el("p", { class: "muted" }, "Its diff is not in the repository given (fetch the remote)."));
  }
  // A unified diff, each line as text, added and removed lines marked.
  function diffBlock(diff) {
    return el("pre", { class: "diff-text" }, diff.split("\n").map((line) => el("span", {
      class: line.startsWith("+") && !line.startsWith("+++") ? "add"
        : line.startsWith("-") && !line.startsWith("---") ? "del" : null }, line + "\n")));
  }

  function recommendations() {
    const all = data.recommendations.filter((r) => !severityFilter || r.severity === severityFilter);
    const recs = all.slice(0, shownRecommendations);
    return el("section", { id: "recommendations", "aria-labelledby": "recs-h" },
      el("h2", { id: "recs-h" }, "Recommendations"),
      el("p", { class: "muted" }, data.recommendations.length + " kept of " + data.totals.recommendations +
        ", most impact first (the larger of task and wall seconds saved)."),
      el("div", { class: "toolbar" },
        el("label", { for: "severity-filter" }, "Severity"),
        el("select", { id: "severity-filter", onchange: (e) => {
          severityFilter = e.target.value;
          document.getElementById("recommendations").replaceWith(recommendations());
          document.getElementById("severity-filter").focus();
        } }, ["", "critical", "high", "medium", "low"].map((v) =>
          el("option", { value: v, selected: v === severityFilter }, v || "all")))),
      el("div", { id: "recs-list" }, recs.map((r) => el("article", { class: "rec" },
        el("div", { class: "toolbar" },
          el("span", { class: "sev " + r.severity }, r.severity),
          el("strong", {}, r.rule),
          el("span", { class: "muted" }, r.job + " · " + r.app_id),
          el("span", { class: "muted" }, (Math.max(r.impact_task_s, r.impact_wall_s) >= 0.001
            ? "impact " + fmtDuration(Math.max(r.impact_task_s, r.impact_wall_s) * 1000)
            : "no time saving estimated") + (r.basis ? " (" + r.basis + ")" : ""))),
        el("p", {}, r.message),
        fixSummary(r.fix) ? el("p", { class: "fix" }, fixSummary(r.fix)) : null,
        el("details", {}, el("summary", {}, "Evidence"), el("pre", {}, JSON.stringify(r.evidence, null, 2))),
        r.fix ? el("details", {}, el("summary", {}, "Fix"), el("pre", {}, JSON.stringify(r.fix, null, 2))) : null,
        proposal(r)))),
      all.length > shownRecommendations
        ? el("button", { type: "button", id: "recs-more", onclick: () => {
          shownRecommendations += 100;
          document.getElementById("recommendations").replaceWith(recommendations());
        } }, "Show more") : null);
  }

  // ---- Realised savings: the loop's pull requests and what verify measured.
  function savings() {
    const loop = data.loop || { pulls: [], note: "" };
    const pulls = loop.pulls;
    const merged = pulls.filter((p) => p.state === "merged");
    const count = (v) => merged.filter((p) => p.verdict === v).length;
    const reverts = pulls.filter((p) => p.revert).length;
    const section = el("section", { id: "savings", "aria-labelledby": "savings-h" },
      el("h2", { id: "savings-h" }, "Realised savings"));
    if (!pulls.length) {
      section.append(el("p", { class: "muted" }, loop.note || "No Prometheus pull request."));
      return section;
    }
    // Per run, summed over the fixes measured better beyond their noise.
    let savedMs = 0, savedTaskMs = 0;
    for (const p of merged.filter((p) => p.verdict === "improved")) {
      const d = p.changes.find((c) => c.name === "duration"), t = p.changes.find((c) => c.name === "task time");
      if (d) savedMs += (d.before - d.after) * 1000;
      if (t) savedTaskMs += (t.before - t.after) * 1000;
    }
    const change = (c) => {
      const f = c.before ? (c.after - c.before) / c.before : 0;
      const fmt = c.bytes ? fmtBytes : (s) => fmtDuration(s * 1000);
      return fmt(c.before) + " → " + fmt(c.after) + " (" + fmtPercent(f) + ", ±" + (c.band * 100).toFixed(0) + "%)";
    };
    section.append(
      el("div", { class: "cards" },
        card("Pull requests", pulls.length), card("Merged", merged.length),
        card("Improved", count("improved")), card("Worse", count("worse")),
        card("Within noise", count("within noise")), card("Waiting for runs", count("not enough runs yet")),
        card("Reverts proposed", reverts),
        card("Saved per run", fmtDuration(savedMs) + " wall, " + fmtDuration(savedTaskMs) + " task")),
      el("p", { class: "muted" }, "Each merged fix: the job's runs before and after the merge, medians of up to 10 runs each side, " +
        "the change against the noise band of the job's own runs, as `prometheus verify` measures it now."),
      el("table", { id: "savings-table" },
        el("caption", { class: "sr-only" }, "Pull requests and their measured effect"),
        el("thead", {}, el("tr", {}, ["Pull request", "Job", "State", "Merged", "Verdict", "Runs before / after",
          "Duration", "Task time", "Spill", "Shuffle", "Revert"].map((h) => el("th", {}, h)))),
        el("tbody", {}, pulls.map((p) => {
          const by = (name) => { const c = p.changes.find((x) => x.name === name); return c ? change(c) : "–"; };
          return el("tr", { class: "verdict-" + (p.verdict || p.state).replace(/ /g, "-") },
            el("td", {}, el("a", { href: p.url || null, class: "pull-link" }, "#" + p.number), " " + p.title),
            el("td", {}, p.job), el("td", {}, p.state), el("td", {}, p.merged_at ? fmtTime(p.merged_at) : "–"),
            el("td", { class: "verdict" }, p.verdict || "–"),
            el("td", { class: "num" }, p.merged_at ? p.runs_before + " / " + p.runs_after : "–"),
            el("td", { class: "num" }, by("duration")), el("td", { class: "num" }, by("task time")),
            el("td", { class: "num" }, by("spill")), el("td", { class: "num" }, by("shuffle")),
            el("td", {}, p.revert ? el("a", { href: p.revert.url || null, class: "pull-link" },
              "#" + p.revert.number + " (" + p.revert.state + ")") : "–"));
        }))));
    return section;
  }

  // ---- One application's drill-down.
  let current = null;
  function selectApp(id, focus) {
    const app = data.apps.find((a) => a.app_id === id) || data.apps[0];
    if (!app) return;
    current = app.app_id;
    history.replaceState(null, "", "#app=" + encodeURIComponent(app.app_id));
    document.getElementById("drilldown").replaceWith(drilldown());
    drawDrilldown(app);
    if (focus) document.querySelector('.applist button[aria-current="true"]').focus();
  }

  function appList() {
    const list = el("ul", { class: "applist", id: "app-list", "aria-label": "Applications" });
    data.apps.forEach((app, i) => {
      list.append(el("li", {}, el("button", {
        type: "button", "data-app": app.app_id, "aria-current": String(app.app_id === current),
        onclick: () => selectApp(app.app_id, true),
        onkeydown: (e) => {
          const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[e.key];
          if (!step) return;
          e.preventDefault();
          const buttons = [...document.querySelectorAll(".applist button")];
          buttons[(i + step + buttons.length) % buttons.length].focus();
        },
      }, (app.name ? app.name + " · " : "") + app.app_id)));
    });
    return list;
  }

  function drilldown() {
    const app = data.apps.find((a) => a.app_id === current);
    const section = el("section", { id: "drilldown", "aria-labelledby": "drill-h" },
      el("h2", { id: "drill-h" }, "Application"),
      el("p", { class: "muted" }, data.drilldown_note + " Arrow keys move between them."),
      appList());
    if (!app) {
      section.append(el("p", {}, "No application."));
      return section;
    }
    const w = app.whatif;
    section.append(...[
      el("h3", { id: "app-title" }, (app.name || app.app_id) + " (" + app.app_id + ")"),
      el("div", { class: "cards" },
        card("Job", app.job), card("Started", fmtTime(app.start)), card("Duration", fmtDuration(app.duration_ms)),
        card("Task time", fmtDuration(app.task_ms)), card("Executors", app.executors),
        card("Core-hours", fmtFigure(app.core_hours)),
        app.cost !== null && app.cost !== undefined ? card("Cost", fmtCost(app.cost)) : null),
      el("h3", {}, "Stage timeline"),
      canvasBox("chart-timeline", "Stage timeline of " + app.app_id, Math.max(180, app.stages.length * 16 + 70)),
      el("h3", {}, "Executor use over time"),
      app.core_use ? canvasBox("chart-executors", "Cores alive and cores busy over time")
        : el("p", { class: "muted" }, "Not known for this run: its event log was not readable when the report was written."),
      el("h3", {}, "Task durations per stage"),
      el("p", { class: "muted" }, "Bar: 25th to 75th percentile; whisker: minimum to maximum; dot: median; diamond: 95th percentile. A whisker far above its bar is skew."),
      el("div", { class: "toolbar" }, el("button", { type: "button", id: "log-scale", "aria-pressed": String(logScale),
        onclick: (e) => { logScale = !logScale; e.target.setAttribute("aria-pressed", String(logScale)); draw("chart-tasks"); } },
      "Logarithmic scale")),
      canvasBox("chart-tasks", "Task duration distribution per stage of " + app.app_id),
      el("h3", {}, "What-if: other executor counts"),
      w ? el("p", { id: "whatif-summary" },
        "Observed " + w.observed.executors + " × " + w.observed.cores_per_executor + " cores, " +
        fmtDuration(w.wall_ms) + " (model " + fmtDuration(w.model_wall_ms) + ", " + fmtPercent(w.model_error) +
        "). Smallest within " + (w.max_slowdown * 100).toFixed(0) + "% slowdown: " + executors(w.smallest_within.executors) +
        ", " + fmtDuration(w.smallest_within.wall_ms) + ". Knee: " + executors(w.knee.executors) + ", " +
        fmtDuration(w.knee.wall_ms) + "." + (app.price_basis ? " Priced " + app.price_basis + "." : ""))
        : el("p", { id: "whatif-summary", class: "muted" },
          "No what-if for this run: its event log was not readable when the report was written."),
      w ? canvasBox("chart-whatif", "Estimated wall time and core-hours by executor count") : null,
    ].filter(Boolean));
    return section;
  }

  let logScale = false;
  function drawDrilldown(app) {
    const origin = app.start || Math.min(...app.stages.map((s) => s.start || Infinity));
    const label = (s) => "Stage " + s.id + (s.attempt ? "." + s.attempt : "");
    chart("chart-timeline", () => ({
      type: "bar",
      data: { labels: app.stages.map(label), datasets: [{
        label: "Running (seconds since the application started)",
        data: app.stages.map((s) => [((s.start || origin) - origin) / 1000, ((s.end || s.start || origin) - origin) / 1000]),
        backgroundColor: app.stages.map((s) => s.status === "failed" ? css("--bad") : css("--accent")),
        borderSkipped: false, barPercentage: 0.9, categoryPercentage: 1 }] },
      options: { indexAxis: "y", scales: { x: { title: { display: true, text: "seconds" } } },
        plugins: { legend: { display: false }, tooltip: { callbacks: {
          title: (items) => { const s = app.stages[items[0].dataIndex]; return label(s) + ": " + s.name; },
          label: (c) => { const s = app.stages[c.dataIndex];
            return fmtDuration((s.end || 0) - (s.start || 0)) + ", " + s.tasks + " tasks"; } } } } },
    }));
    chart("chart-tasks", () => {
      const stages = app.stages.filter((s) => s.q[0] !== null);
      const floor = (v) => logScale ? Math.max(1, v) : v;
      return {
        type: "bar",
        data: { labels: stages.map(label), datasets: [
          { label: "min – max", data: stages.map((s) => [floor(s.q[0]), floor(s.q[5])]),
            backgroundColor: css("--muted"), barPercentage: 0.12, grouped: false, order: 3 },
          { label: "p25 – p75", data: stages.map((s) => [floor(s.q[1]), floor(Math.max(s.q[3], s.q[1] + 0.5))]),
            backgroundColor: css("--accent"), barPercentage: 0.6, grouped: false, order: 2 },
          { type: "line", label: "median", data: stages.map((s) => floor(s.q[2])), showLine: false,
            pointRadius: 4, pointBackgroundColor: css("--fg"), borderColor: css("--fg"), order: 1 },
          { type: "line", label: "p95", data: stages.map((s) => floor(s.q[4])), showLine: false,
            pointStyle: "rectRot", pointRadius: 4, pointBackgroundColor: css("--accent2"), borderColor: css("--accent2"), order: 0 },
        ] },
        options: { scales: { y: { type: logScale ? "logarithmic" : "linear",
          ticks: { callback: (v) => fmtDuration(v) } } },
          plugins: { tooltip: { callbacks: { label: (c) => c.dataset.label + ": " +
            (Array.isArray(c.raw) ? fmtDuration(c.raw[0]) + " – " + fmtDuration(c.raw[1]) : fmtDuration(c.raw)) } } } },
      };
    });
    if (app.core_use) {
      chart("chart-executors", () => ({
        type: "line",
        data: { datasets: [
          { label: "cores alive", data: app.core_use.alive.map((y, i) => ({ x: app.core_use.t[i] / 1000, y })),
            stepped: true, pointRadius: 0, borderColor: css("--muted"), backgroundColor: css("--muted") },
          { label: "cores busy (task time over each stage's span)",
            data: app.core_use.busy.map((y, i) => ({ x: app.core_use.t[i] / 1000, y })), stepped: true,
            pointRadius: 0, fill: true, borderColor: css("--accent"), backgroundColor: css("--accent") + "55" },
        ] },
        options: { scales: { x: { type: "linear", title: { display: true, text: "seconds since the application started" } },
          y: { beginAtZero: true, title: { display: true, text: "cores" } } },
          plugins: { tooltip: { callbacks: { label: (c) => c.dataset.label + ": " + fmtFigure(c.raw.y) } } } },
      }));
    } else {
      delete builders["chart-executors"];
    }
    if (!app.whatif) { delete builders["chart-whatif"]; return; }
    const w = app.whatif;
    const priced = w.curve.length && w.curve[0].cost !== null && w.curve[0].cost !== undefined;
    chart("chart-whatif", () => {
      const mark = (e, name) => ({ x: e.executors, y: e.wall_ms / 1000, name });
      return {
        type: "line",
        data: { datasets: [
          { label: "Estimated wall time (s)", data: w.curve.map((e) => ({ x: e.executors, y: e.wall_ms / 1000 })),
            borderColor: css("--accent"), backgroundColor: css("--accent"), yAxisID: "y", pointRadius: 2 },
          { label: priced ? "Cost" : "Core-hours", data: w.curve.map((e) => ({ x: e.executors, y: priced ? e.cost : e.core_hours })),
            borderColor: css("--accent2"), backgroundColor: css("--accent2"), yAxisID: "y2", pointRadius: 2 },
          { type: "scatter", label: "observed · smallest · knee",
            data: [mark({ executors: w.observed.executors, wall_ms: w.model_wall_ms }, "observed"),
              mark(w.smallest_within, "smallest within " + (w.max_slowdown * 100).toFixed(0) + "%"), mark(w.knee, "knee")],
            pointRadius: 7, pointStyle: ["circle", "triangle", "rect"], backgroundColor: css("--accent3"), yAxisID: "y" },
        ] },
        options: { parsing: true, scales: {
          x: { type: "linear", title: { display: true, text: "executors of " + w.curve[0].cores_per_executor + " cores" } },
          y: { beginAtZero: true, title: { display: true, text: "wall seconds" } },
          y2: { position: "right", beginAtZero: true, grid: { drawOnChartArea: false },
            title: { display: true, text: priced ? "cost" : "core-hours" } } },
          plugins: { tooltip: { callbacks: { label: (c) => c.raw.name ? c.raw.name + ": " + c.raw.x + " executors, " +
            fmtDuration(c.raw.y * 1000) : c.dataset.yAxisID === "y" ? c.raw.x + " executors: " + fmtDuration(c.raw.y * 1000)
            : c.raw.x + " executors: " + fmtFigure(c.raw.y) } } } },
      };
    });
  }

  // ---- The page.
  const root = document.getElementById("app");
  root.append(header(), el("main", {}, el("section", { id: "overview" }), recommendations(), savings(),
    el("section", { id: "drilldown" })));
  renderOverview();
  const wanted = decodeURIComponent((location.hash.match(/^#app=(.*)$/) || [])[1] || "");
  current = (data.apps.find((a) => a.app_id === wanted) || data.apps[0] || {}).app_id || null;
  document.getElementById("drilldown").replaceWith(drilldown());
  const first = data.apps.find((a) => a.app_id === current);
  if (first) drawDrilldown(first);
  window.prometheusReport = { charts, data, selectApp };
  document.body.dataset.ready = "1";
})();
