// `npm test`: the lint checks (`npm run lint`), the integration suite on the embedded PostgreSQL,
// again on the external server in TEST_DATABASE_URL when set, then the browser tests when
// Chromium is installed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

const run = (cmd, args, env = {}) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
const say = (line) => console.log(`\n=== ${line}`);
const extra = process.argv.slice(2);

const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  console.error(
    `gongshu needs Node.js 24 or later (the active LTS); this is Node.js ${process.versions.node}.`,
  );
  process.exit(1);
}

say('lint: format, lint rules, types, module walls, unused code (npm run lint)');
run('node', ['scripts/lint.mjs']);

say('integration tests on the embedded PostgreSQL');
run('npx', ['vitest', 'run', ...extra], { TEST_DB_LEG: 'embedded' });

if (process.env.TEST_DATABASE_URL) {
  say(
    `integration tests on the external PostgreSQL (${process.env.TEST_DATABASE_URL.replace(/:[^:@/]*@/, ':***@')})`,
  );
  run('npx', ['vitest', 'run', ...extra], { TEST_DB_LEG: 'external' });
} else {
  say('SKIPPED: integration tests on an external PostgreSQL server (TEST_DATABASE_URL is not set)');
}

const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
if (!fs.existsSync('e2e') || !fs.readdirSync('e2e').some((f) => f.endsWith('.test.ts'))) {
  say('no browser tests yet');
} else if (!fs.existsSync(chromium)) {
  say(
    `SKIPPED: browser tests (no Chromium at ${chromium}; apt-get install -y chromium, or set CHROMIUM_PATH)`,
  );
} else {
  say('browser tests in headless Chromium');
  run('node', ['scripts/build.mjs']);
  run('npx', ['vitest', 'run', '-c', 'vitest.e2e.config.ts'], { CHROMIUM_PATH: chromium });
}
