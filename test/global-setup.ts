import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbedded, type EmbeddedServer } from '../src/db/embedded.js';

declare module 'vitest' {
  export interface ProvidedContext {
    adminUrl: string;
    dbLeg: string;
  }
}

let embedded: EmbeddedServer | undefined;
let dir: string | undefined;

/**
 * One PostgreSQL per run: the embedded server (default) or the external one in TEST_DATABASE_URL
 * when TEST_DB_LEG=external. Each test file then makes a database of its own on it.
 */
export async function setup(project: TestProject): Promise<void> {
  if (process.env.TEST_DB_LEG === 'external') {
    if (!process.env.TEST_DATABASE_URL)
      throw new Error('TEST_DB_LEG=external needs TEST_DATABASE_URL');
    project.provide('adminUrl', process.env.TEST_DATABASE_URL);
    project.provide('dbLeg', 'external');
    return;
  }
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongshu-test-'));
  fs.chmodSync(dir, 0o755);
  embedded = await startEmbedded(dir);
  project.provide('adminUrl', embedded.url);
  project.provide('dbLeg', 'embedded');
}

export async function teardown(): Promise<void> {
  await embedded?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}
