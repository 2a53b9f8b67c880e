// Scores portal pages with Lighthouse (mobile, its default), in one Chromium, one page after
// another (pages scored at the same time on a small machine would slow each other down and
// lower the Performance score). Called by scripts/lighthouse.sh, which serves the real record.
//
//   node scripts/lighthouse.mjs http://127.0.0.1:8123 [report-directory]
//
// Prints a Markdown table of the scores and exits 1 if a page scores below the thresholds.
import fs from "node:fs";
import path from "node:path";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";

const BASE = process.argv[2] || "http://127.0.0.1:8123";
const REPORTS = process.argv[3] || "test-artifacts/lighthouse";
const THRESHOLDS = {
  performance: 95,
  accessibility: 100,
  "best-practices": 100,
  seo: 100,
};

async function json(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.json();
}

// A commitment and a partner of the record (the largest commitment and its partner).
const largest = (await json(`${BASE}/api/v1/commitments?sort=-amount_usd&page_size=1`))
  .results[0];
const pages = [];
for (const language of ["en", "es"]) {
  pages.push(
    ["overview", `/${language}/`],
    ["explorer", `/${language}/commitments/`],
    ["commitment", `/${language}/commitments/${largest.reference}/`],
    ["partner", `/${language}/partners/${largest.partner.slug}/`],
    ["country", `/${language}/countries/gt/`],
  );
}

// A Chromium, warmed: a first navigation of a fresh Chromium is slow whatever the page (its
// caches, its connections), so one quick unscored run takes that on.
async function warmChromium() {
  const launched = await chromeLauncher.launch({
    chromePath: process.env.CHROME_PATH || "/usr/bin/chromium",
    chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
  await lighthouse(`${BASE}/`, {
    port: launched.port,
    logLevel: "error",
    onlyAudits: ["server-response-time"],
    disableFullPageScreenshot: true,
  });
  return launched;
}

// A trace Chromium failed to record (NO_NAVSTART and the like) is Lighthouse's failure, not
// the page's; once it has happened, the same Chromium tends to fail again (CI, 2 December:
// NO_NAVSTART twice in a row on the last page). So such a run is made again in a fresh
// Chromium, up to ATTEMPTS times in all; a page that never gets a trace fails the run.
const ATTEMPTS = 4;

let chrome = await warmChromium();
fs.mkdirSync(REPORTS, { recursive: true });
const rows = [];
let failed = false;
const started = Date.now();
try {
  for (const [kind, page] of pages) {
    // Fetched before scoring, a few times so that every server process has it: the page
    // computed and kept (the page cache), as readers find it.
    for (let i = 0; i < 4; i++) await (await fetch(`${BASE}${page}`)).text();
    let result;
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      result = await lighthouse(`${BASE}${page}`, {
        port: chrome.port,
        output: "json",
        logLevel: "error",
        onlyCategories: Object.keys(THRESHOLDS),
        // Audits that weigh nothing in any score, and take a third of the time.
        skipAudits: ["bf-cache", "screenshot-thumbnails", "final-screenshot"],
        disableFullPageScreenshot: true,
      });
      if (!result.lhr.runtimeError) break;
      console.error(`${page}: ${result.lhr.runtimeError.code} (attempt ${attempt} of ${ATTEMPTS})`);
      if (attempt < ATTEMPTS) {
        await chrome.kill();
        chrome = await warmChromium();
      }
    }
    const lhr = result.lhr;
    if (lhr.runtimeError) {
      failed = true;
      console.error(`${page}: Lighthouse failed ${ATTEMPTS} times: ${lhr.runtimeError.message}`);
    }
    const scores = {};
    for (const name of Object.keys(THRESHOLDS)) {
      scores[name] = Math.round((lhr.categories[name].score ?? 0) * 100);
    }
    const below = Object.entries(THRESHOLDS).filter(([name, min]) => scores[name] < min);
    if (below.length) {
      failed = true;
      for (const [name] of below) {
        const audits = lhr.categories[name].auditRefs
          .map((ref) => lhr.audits[ref.id])
          .filter((audit) => audit.score !== null && audit.score < 1 && audit.scoreDisplayMode !== "informative")
          .map((audit) => `${audit.id} (${audit.displayValue || audit.score})`);
        console.error(`${page}: ${name} ${scores[name]} < ${THRESHOLDS[name]}: ${audits.join(", ")}`);
      }
    }
    const file = `${page.replace(/[^a-z0-9]+/gi, "-").replace(/^-|-$/g, "") || "root"}.json`;
    fs.writeFileSync(path.join(REPORTS, file), result.report);
    rows.push([kind, page.split("/")[1], scores]);
  }
} finally {
  await chrome.kill();
}
const names = Object.keys(THRESHOLDS);
console.log(`| Page | Language | ${names.map((n) => n[0].toUpperCase() + n.slice(1)).join(" | ")} |`);
console.log(`|---|---|${names.map(() => "---:").join("|")}|`);
for (const [kind, language, scores] of rows) {
  console.log(`| ${kind} | ${language} | ${names.map((n) => scores[n]).join(" | ")} |`);
}
console.log(`\n${rows.length} pages in ${Math.round((Date.now() - started) / 1000)} s`);
process.exit(failed ? 1 : 0);
