// The HTML report in a real browser: Debian's Chromium driven by
// playwright-core, the page opened from a file:// URL with every other
// request blocked.
//
//   node web/report_test.mjs REPORT.html [--screenshots DIR] [--name NAME]
//        [--whatif] [--loop] [--would-fix] [--cost WORD] [--max-ready-ms N]
//
// Fails (exit 1, one line per problem) on a console error, a page error, a
// dialog (a script in the data would open one), any request but the file's,
// a chart that is missing, empty or not drawn (with --whatif: the what-if
// curve and executor use too, in every drill-down), a drill-down that does not
// follow a click or the keyboard, or a page ready later than --max-ready-ms.
// Every report: each recommendation says its proposal ("No fix proposed."
// or its pull request), and the savings section is there. With --loop (a
// lake whose loop merged fixes): the savings table's rows with verdicts, the
// merge markers drawn on a job's trend with their pull requests listed, and
// a proposed diff that opens by keyboard; with --would-fix, the diff
// `prometheus fix` would make beside a recommendation not proposed. With --cost WORD (a report whose
// runs have costs): the basis sentence names WORD (billed, estimated), the
// jobs table has a Cost column, the trend draws its Cost metric and every
// what-if curve is priced.
import { chromium } from "playwright-core";
import path from "node:path";
import fs from "node:fs";

const args = process.argv.slice(2);
const file = path.resolve(args[0]);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : fallback;
};
const screenshots = option("--screenshots", null);
const name = option("--name", path.basename(file, ".html"));
const maxReadyMs = Number(option("--max-ready-ms", "2000"));
const expectWhatIf = args.includes("--whatif");
const expectLoop = args.includes("--loop");
const expectCost = option("--cost", null);
const expectWouldFix = args.includes("--would-fix");
const url = "file://" + file;

const problems = [];
const requests = [];
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu"],
});
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, offline: true });
  await context.route("**/*", (route) => {
    const wanted = route.request().url();
    if (wanted === url) return route.continue();
    requests.push(wanted);
    return route.abort();
  });
  const page = await context.newPage();
  page.on("request", (request) => {
    if (request.url() !== url && !requests.includes(request.url())) requests.push(request.url());
  });
  page.on("console", (message) => {
    if (message.type() === "error") problems.push("console error: " + message.text());
  });
  page.on("pageerror", (error) => problems.push("page error: " + error.message));
  page.on("dialog", async (dialog) => {
    problems.push("a dialog opened: " + dialog.message());
    await dialog.dismiss();
  });

  const started = Date.now();
  await page.goto(url);
  await page.waitForSelector('body[data-ready="1"]', { timeout: 15000 });
  const readyMs = Date.now() - started;
  const interactions = [];  // ms from a click or key to the next frame
  if (readyMs > maxReadyMs) problems.push(`ready after ${readyMs} ms (limit ${maxReadyMs})`);

  // Every chart: a Chart.js instance with data, and pixels drawn.
  const chartIds = ["chart-jobs", "chart-trend", "chart-timeline", "chart-tasks"];
  if (expectWhatIf) chartIds.push("chart-whatif", "chart-executors");
  const checkCharts = async (ids, when) => {
    for (const id of ids) {
      const state = await page.evaluate((id) => {
        const canvas = document.getElementById(id);
        if (!canvas) return { missing: true };
        const chart = Chart.getChart(canvas);
        const points = chart ? chart.data.datasets.reduce((n, d) => n + d.data.length, 0) : 0;
        const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
        let drawn = 0;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) drawn++;
        return { chart: !!chart, points, drawn, width: canvas.width, height: canvas.height };
      }, id);
      if (state.missing) problems.push(`${when}: no #${id}`);
      else if (!state.chart) problems.push(`${when}: #${id} holds no chart`);
      else if (state.points === 0) problems.push(`${when}: #${id} has no data`);
      else if (state.drawn < 500) problems.push(`${when}: #${id} drew ${state.drawn} pixels`);
    }
  };
  await checkCharts(chartIds, "first view");

  // The drill-down: by click, then by keyboard.
  const apps = await page.$$eval(".applist button", (buttons) => buttons.map((b) => b.dataset.app));
  const title = () => page.textContent("#app-title");
  if (apps.length >= 2) {
    const clicked = Date.now();
    await page.click(`.applist button[data-app="${apps[1]}"]`);
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => done())));
    interactions.push(Date.now() - clicked);
    if (!(await title()).includes(apps[1])) problems.push("a click did not open " + apps[1]);
    if (!decodeURIComponent(await page.evaluate(() => location.hash)).includes(apps[1])) {
      problems.push("the URL does not name the application clicked");
    }
    await checkCharts(chartIds, "after a click");
    await page.focus(`.applist button[data-app="${apps[1]}"]`);
    await page.keyboard.press("ArrowLeft");
    const focused = await page.evaluate(() => document.activeElement.dataset.app);
    if (focused !== apps[0]) problems.push("ArrowLeft did not move to the first application");
    await page.keyboard.press("Enter");
    if (!(await title()).includes(apps[0])) problems.push("Enter did not open " + apps[0]);
    const current = await page.evaluate(() => document.activeElement.getAttribute("aria-current"));
    if (current !== "true") problems.push("focus did not stay on the opened application");
  } else if (apps.length === 1) {
    await page.focus(".applist button");
    await page.keyboard.press("Enter");
    if (!(await title()).includes(apps[0])) problems.push("Enter did not open " + apps[0]);
  } else {
    problems.push("no application to drill into");
  }
  // The job trend by keyboard: Tab to a job's Trend button and press Enter.
  const trendButtons = await page.$$(".trend-button");
  if (trendButtons.length >= 2) {
    await trendButtons[1].focus();
    const pressed = Date.now();
    await page.keyboard.press("Enter");
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => done())));
    interactions.push(Date.now() - pressed);
    const heading = await page.textContent("#trend-h");
    const job = await page.$$eval("#jobs-table tbody tr", (rows) => rows[1].children[1].textContent);
    if (!heading.includes(job)) problems.push("Enter on a Trend button did not show its job's trend");
  }

  // The severity filter, by keyboard: every card left has that severity.
  const severities = await page.$$eval("#recs-list .sev", (badges) => badges.map((b) => b.textContent));
  if (severities.length) {
    const wanted = severities[0];
    await page.selectOption("#severity-filter", wanted);
    const left = await page.$$eval("#recs-list .sev", (badges) => badges.map((b) => b.textContent));
    if (!left.length || left.some((s) => s !== wanted)) problems.push("the severity filter kept " + left.join(","));
    await page.selectOption("#severity-filter", "");
  }

  // Each recommendation card says what was proposed; the savings section is there.
  const cards = await page.$$eval("#recs-list .rec", (recs) => recs.map((r) =>
    !!r.querySelector(".no-fix, .proposal")));
  if (cards.some((said) => !said)) problems.push("a recommendation does not say whether a fix was proposed");
  if (!(await page.$("#savings h2"))) problems.push("no savings section");
  if (expectLoop) {
    const rows = await page.$$eval("#savings-table tbody tr", (trs) => trs.map((tr) => ({
      verdict: tr.querySelector(".verdict").textContent, link: tr.querySelector("a.pull-link").textContent })));
    if (!rows.length) problems.push("no pull request in the savings table");
    if (!rows.some((r) => r.verdict !== "–")) problems.push("no merged pull request with a verdict");
    if (rows.some((r) => !/^#\d+$/.test(r.link))) problems.push("a savings row without its pull request's number");
    // The job with a merged fix: its Trend button, then the markers on the chart.
    const withFix = await page.evaluate(() => {
      const keys = [...document.querySelectorAll("#jobs-table tbody tr")].map((tr) => tr.children[1].textContent);
      const data = window.prometheusReport.data;
      return keys.findIndex((k) => (data.jobs.find((j) => j.key === k).fixes || []).length);
    });
    if (withFix < 0) problems.push("no job with a merged fix in the jobs table");
    else {
      const buttons = await page.$$(".trend-button");
      await buttons[withFix].focus();
      await page.keyboard.press("Enter");
      const markers = await page.evaluate(() => Chart.getChart(document.getElementById("chart-trend"))
        .data.datasets.filter((d) => d.fixNumber).map((d) => d.label));
      if (!markers.length) problems.push("no merge marker on the trend of the job with a merged fix");
      await checkCharts(["chart-trend"], "trend with merge markers");
      const listed = await page.$$eval("#trend-fixes a.pull-link", (links) => links.map((a) => a.textContent));
      for (const marker of markers) {
        if (!listed.includes(marker.split(" ")[0])) problems.push(`marker ${marker} is not listed under the trend`);
      }
    }
    await checkDiff("#recs-list .proposal:not(.would-fix) details.diff", "proposed diff");
  }
  if (expectWouldFix) await checkDiff("#recs-list .would-fix details.diff", "diff fix would make");

  // A diff beside a recommendation: there, opened by Enter, added lines shown.
  async function checkDiff(selector, what) {
    if (!(await page.$(selector))) { problems.push(`no ${what} beside a recommendation`); return; }
    await page.focus(selector + " summary");
    await page.keyboard.press("Enter");
    const shown = await page.evaluate((selector) => {
      const d = document.querySelector(selector);
      return { open: d.open, added: d.querySelectorAll(".diff-text .add").length,
        visible: d.querySelector(".diff-text").getBoundingClientRect().height };
    }, selector);
    if (!shown.open || !shown.visible) problems.push(`Enter did not open the ${what}`);
    if (!shown.added) problems.push(`the ${what} shows no added line`);
  }

  if (expectCost) {
    const basis = await page.textContent("#cost-basis");
    if (!basis.includes(expectCost)) problems.push(`the cost basis does not say ${expectCost}: ${basis}`);
    const headers = await page.$$eval("#jobs-table th", (ths) => ths.map((th) => th.textContent));
    if (!headers.includes("Cost")) problems.push("no Cost column in the jobs table");
    await page.selectOption("#trend-metric", "cost");
    await checkCharts(["chart-trend"], "the trend's cost");
    const priced = await page.evaluate(() => Chart.getChart(document.getElementById("chart-whatif"))
      .data.datasets.some((d) => d.label === "Cost" && d.data.every((p) => p.y > 0)));
    if (!priced) problems.push("the what-if curve is not priced");
    const summary = await page.textContent("#whatif-summary");
    if (!summary.includes("Priced ")) problems.push("the what-if does not say how it is priced");
  }

  if (screenshots) {
    fs.mkdirSync(screenshots, { recursive: true });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(screenshots, `${name}-light.png`), fullPage: true });
    await page.click("#theme-toggle");
    await checkCharts(chartIds, "dark theme");
    await page.screenshot({ path: path.join(screenshots, `${name}-dark.png`), fullPage: true });
  } else {
    await page.click("#theme-toggle");
    await checkCharts(chartIds, "dark theme");
  }
  for (const request of requests) problems.push("a request left the page: " + request);
  const slowest = Math.max(0, ...interactions);
  if (slowest > maxReadyMs) problems.push(`an interaction took ${slowest} ms (limit ${maxReadyMs})`);
  console.log(`${name}: ready in ${readyMs} ms, slowest interaction ${slowest} ms, ${apps.length} drill-downs, ` +
    (expectLoop ? "loop markers, savings and diff checked, " : "") +
    (expectWouldFix ? "would-be diff checked, " : "") +
    `${(fs.statSync(file).size / 1048576).toFixed(2)} MiB`);
} finally {
  await browser.close();
}
for (const problem of problems) console.log("FAIL " + problem);
process.exit(problems.length ? 1 : 0);
