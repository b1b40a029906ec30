// `npm run lint`: every check that holds the code's shape, in one command that `npm test` runs
// first. Each step runs even when one before it failed, so one run shows every finding; the
// command fails if any step did.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

const MAX_LINE = 100;
const CODE_DIRS = ['src', 'web', 'test', 'e2e', 'bench', 'scripts', 'bin'];

/** Comment lines past the line width: the formatter wraps code but leaves comments as written. */
function longComments() {
  const files = spawnSync('git', ['ls-files', '-co', '--exclude-standard', ...CODE_DIRS], {
    encoding: 'utf8',
  })
    .stdout.split('\n')
    .filter((f) => /\.(ts|tsx|mjs|js|cjs)$/.test(f) && fs.existsSync(f));
  const found = [];
  for (const file of files) {
    fs.readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (line.length > MAX_LINE && /^\s*(\/\/|\/\*|\*)/.test(line))
          found.push(`${file}:${i + 1}: comment line of ${line.length} characters`);
      });
  }
  for (const f of found) console.log(f);
  return found.length === 0;
}

const steps = [
  ['format and lint (Biome)', ['npx', 'biome', 'ci', '--error-on-warnings', '--colors=off', '.']],
  [`comment lines within ${MAX_LINE} columns`, longComments],
  ['types: server, tests and benches', ['npx', 'tsc', '-p', 'tsconfig.check.json']],
  ['types: portal', ['npx', 'tsc', '-p', 'web/tsconfig.json']],
  [
    'module walls (dependency-cruiser)',
    ['npx', 'depcruise', 'src', 'web/src', 'test', 'e2e', 'bench', 'scripts'],
  ],
  ['unused code and dependencies (knip)', ['npx', 'knip', '--no-progress']],
  ['the OpenAPI document (Redocly recommended)', ['npm', 'run', '--silent', 'lint:openapi']],
];

const failed = [];
for (const [name, what] of steps) {
  const started = Date.now();
  console.log(`\n--- lint: ${name}`);
  const ok =
    typeof what === 'function'
      ? what()
      : spawnSync(what[0], what.slice(1), { stdio: 'inherit' }).status === 0;
  console.log(
    `--- ${ok ? 'ok' : 'FAILED'}: ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );
  if (!ok) failed.push(name);
}
if (failed.length) {
  console.log(`\nlint failed: ${failed.join('; ')}`);
  process.exit(1);
}
console.log('\nlint: all checks passed');
