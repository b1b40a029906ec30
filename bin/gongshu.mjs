#!/usr/bin/env node
// The `gongshu` command line; built with the server (npm run build).
import { existsSync } from 'node:fs';
const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('gongshu: the command line is not built yet; run `npm run build` first');
  process.exit(1);
}
await import(entry.href);
