// Builds reports/spend.html from reports/spend.json.
// Note: vendor names such as OpenAI or Anthropic are normalised server-side
// (spendwise/vendors.py); this script only formats numbers. No langchain here.
const fs = require("fs");
const path = require("path");
const _ = require("lodash");

const AI_VENDORS = ["openai", "anthropic", "crewai"]; // highlighted in the report
const input = path.join(__dirname, "..", "reports", "spend.json");
const output = path.join(__dirname, "..", "reports", "spend.html");

function money(value) {
  return new Intl.NumberFormat("de-DE", { style: "currency", currency: "EUR" }).format(value);
}

function row(item) {
  const cls = AI_VENDORS.includes(item.vendor) ? ' class="ai-vendor"' : "";
  return `<tr${cls}><td>${_.escape(item.vendor)}</td><td>${_.escape(item.category)}</td><td>${money(item.amount)}</td></tr>`;
}

function main() {
  const items = JSON.parse(fs.readFileSync(input, "utf8"));
  const sorted = _.orderBy(items, ["amount"], ["desc"]);
  const total = _.sumBy(items, "amount");
  const html = [
    "<table>",
    "<tr><th>Vendor</th><th>Category</th><th>Amount</th></tr>",
    ...sorted.map(row),
    `<tr><th colspan="2">Total</th><th>${money(total)}</th></tr>`,
    "</table>",
    "<p>Generated without any LLM (we do not import openai or @anthropic-ai/sdk).</p>",
  ].join("\n");
  fs.writeFileSync(output, html);
  console.log(`wrote ${output}`);
}

main();
