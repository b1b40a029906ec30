// Builds what `npm start` needs, skipping what is already up to date:
// the server (tsc, incremental) and the portal (vite build when web/ changed).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
const newest = (dir) => {
  if (!fs.existsSync(dir)) return 0;
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return t;
};

run('npx', ['tsc', '-p', 'tsconfig.json']);
if (!process.argv.includes('--server-only') && fs.existsSync('web/index.html')) {
  const built = fs.existsSync('web/dist/index.html')
    ? fs.statSync('web/dist/index.html').mtimeMs
    : 0;
  const inputs = Math.max(
    newest('web/src'),
    newest('web/public'),
    ...['web/index.html', 'vite.config.ts', 'package-lock.json']
      .filter(fs.existsSync)
      .map((f) => fs.statSync(f).mtimeMs),
  );
  if (inputs > built) run('npx', ['vite', 'build', '--logLevel', 'warn']);
}
