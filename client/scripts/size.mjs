// Prints the size of the built JavaScript, raw and gzipped, and fails past the budget.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const BUDGET_KB = 200;
const dir = new URL("../dist/assets/", import.meta.url).pathname;
let raw = 0;
let gzipped = 0;
for (const file of readdirSync(dir).filter((f) => f.endsWith(".js"))) {
  const data = readFileSync(join(dir, file));
  const gz = gzipSync(data, { level: 9 }).length;
  raw += data.length;
  gzipped += gz;
  console.log(`  ${file}: ${(data.length / 1024).toFixed(1)} KB, ${(gz / 1024).toFixed(1)} KB gzipped`);
}
const kb = gzipped / 1024;
console.log(`JavaScript total: ${(raw / 1024).toFixed(1)} KB, ${kb.toFixed(1)} KB gzipped (budget ${BUDGET_KB} KB)`);
if (kb > BUDGET_KB) {
  console.error(`over the ${BUDGET_KB} KB gzipped budget`);
  process.exit(1);
}
