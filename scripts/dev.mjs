// `npm run dev`: the API under `tsx watch` (restarts on server changes) and Vite with hot
// reload for the portal, which forwards /api to the API. Ctrl-C stops both.
import { spawn } from 'node:child_process';

const apiPort = process.env.PORT || '8080';
const children = [
  spawn('npx', ['tsx', 'watch', 'src/server/main.ts'], {
    stdio: 'inherit',
    env: { ...process.env, PORT: apiPort },
  }),
  spawn('npx', ['vite'], {
    stdio: 'inherit',
    env: { ...process.env, GONGSHU_API_URL: `http://127.0.0.1:${apiPort}` },
  }),
];
console.log(
  `gongshu dev: API on :${apiPort}, portal with hot reload on :${process.env.VITE_PORT || 5173}`,
);

let stopping = false;
const stop = (code = 0) => {
  if (stopping) return;
  stopping = true;
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  setTimeout(() => process.exit(code), 3000).unref();
};
for (const c of children) c.on('exit', (code) => stop(code ?? 0));
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
