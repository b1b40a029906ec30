import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { ApiClient, CliError } from './client.js';

const CONTENT_TYPES: Record<string, string> = {
  '.csv': 'text/csv',
  '.ndjson': 'application/x-ndjson',
  '.jsonl': 'application/x-ndjson',
  '.json': 'application/json',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

interface PushOptions {
  resource: string;
  mode: string;
  strict?: boolean;
  idempotencyKey?: string;
  rejected?: string;
  url?: string;
  key?: string;
  quiet?: boolean;
}
interface Batch {
  id: string;
  status: string;
  received: number;
  accepted: number;
  rejected: number;
  inserted: number;
  updated: number;
  deleted: number;
  unchanged: number;
  durationMs: number | null;
}
interface Rejected {
  total: number;
  items: { row: number; field: string; rule: string; value: string | null }[];
}

/**
 * The default idempotency key: the file's content, resource and mode. Pushing the same file
 * again loads it once; a push that broke off half way is retried under the same key.
 */
async function defaultKey(file: string, opts: PushOptions): Promise<string> {
  const hash = crypto
    .createHash('sha256')
    .update(`${opts.resource}\0${opts.mode}\0${opts.strict ? 1 : 0}\0`);
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return `push-${hash.digest('hex').slice(0, 40)}`;
}

/** Streams the file, counting bytes and rows for the progress bar. */
function progressStream(
  file: string,
  size: number,
  bar: cliProgress.SingleBar | null,
  countRows: boolean,
) {
  let bytes = 0;
  let rows = countRows ? -1 : 0; // the header line is not a row
  const started = Date.now();
  async function* read() {
    for await (const chunk of fs.createReadStream(file, { highWaterMark: 256 * 1024 })) {
      const buf = chunk as Buffer;
      bytes += buf.length;
      if (countRows) for (let i = buf.indexOf(10); i >= 0; i = buf.indexOf(10, i + 1)) rows++;
      const seconds = Math.max((Date.now() - started) / 1000, 0.001);
      bar?.update(bytes, {
        rows: Math.max(rows, 0).toLocaleString('en'),
        mbps: (bytes / 1048576 / seconds).toFixed(1),
      });
      yield buf;
    }
  }
  return {
    stream: Readable.toWeb(Readable.from(read())) as ReadableStream,
    totals: () => ({
      bytes,
      rows: Math.max(rows, 0),
      seconds: (Date.now() - started) / 1000,
      size,
    }),
  };
}

async function printRejected(
  api: ApiClient,
  batchId: string,
  out: string | undefined,
): Promise<void> {
  const list = await api.getJson<Rejected>(`/api/v1/batches/${batchId}/rejected?limit=10`);
  if (list.total === 0) return;
  console.log(`rejected rows (${list.total} problems; first ${list.items.length}):`);
  for (const r of list.items)
    console.log(`  row ${r.row}  ${r.field}  ${r.rule}  ${JSON.stringify(r.value)}`);
  if (out) {
    const res = await fetch(`${api.base}/api/v1/batches/${batchId}/rejected?format=csv`, {
      headers: api.headers(),
    });
    if (!res.ok || !res.body)
      throw new CliError(`could not download the rejected rows: ${res.status}`);
    await fs.promises.writeFile(out, Readable.fromWeb(res.body as never));
    console.log(`all rejected rows written to ${out}`);
  } else {
    console.log(
      `download them all: gongshu push … --rejected rejected.csv, or GET ${api.base}/api/v1/batches/${batchId}/rejected?format=csv`,
    );
  }
}

/**
 * `gongshu push <file>`: loads a CSV, XLSX, NDJSON or JSON file into a resource's pool as one
 * batch.
 */
export function registerPush(program: Command): void {
  program
    .command('push')
    .description(
      'load a file (CSV, XLSX, NDJSON, JSON) into a resource’s pool as one batch (入池); exit 0 only when the batch committed',
    )
    .argument('<file>', 'the file to load (.csv, .xlsx, .ndjson/.jsonl, .json)')
    .requiredOption('--resource <id>', 'id of the published catalog resource')
    .option(
      '--mode <mode>',
      'append | upsert (by the identifier field) | snapshot (replace all)',
      'upsert',
    )
    .option('--strict', 'reject the whole batch if any row breaks a rule')
    .option(
      '--idempotency-key <key>',
      'key making the push safe to repeat (default: derived from the file, resource and mode)',
    )
    .option('--rejected <file>', 'write all rejected rows to this CSV file')
    .option('--quiet', 'no progress bar')
    .option('--url <url>', 'server address (default: $GONGSHU_URL or http://localhost:8080)')
    .option('--key <key>', 'API key of the providing organisation’s client (default: $GONGSHU_KEY)')
    .addHelpText(
      'after',
      '\nExit codes: 0 committed · 1 error · 3 rejected (strict mode) · 4 the batch failed (nothing loaded)',
    )
    .action(async (file: string, opts: PushOptions) => {
      if (!['append', 'upsert', 'snapshot'].includes(opts.mode))
        throw new CliError(`--mode must be append, upsert or snapshot, not ${opts.mode}`);
      const type = CONTENT_TYPES[path.extname(file).toLowerCase()];
      if (!type)
        throw new CliError(
          `cannot tell the format of ${file}: use .csv, .xlsx, .ndjson, .jsonl or .json`,
        );
      if (!fs.existsSync(file)) throw new CliError(`no such file: ${file}`);
      const api = new ApiClient(opts);
      const key = opts.idempotencyKey ?? (await defaultKey(file, opts));
      const size = fs.statSync(file).size;
      const bar =
        opts.quiet || !process.stderr.isTTY
          ? null
          : new cliProgress.SingleBar(
              {
                format: 'uploading {bar} {percentage}% | {rows} rows | {mbps} MB/s',
                stream: process.stderr,
                hideCursor: true,
              },
              cliProgress.Presets.shades_classic,
            );
      bar?.start(size, 0, { rows: '0', mbps: '0.0' });
      const upload = progressStream(
        file,
        size,
        bar,
        type === 'text/csv' || type === 'application/x-ndjson',
      );
      const query = `mode=${opts.mode}${opts.strict ? '&strict=true' : ''}`;
      let res: Response;
      try {
        res = await fetch(
          `${api.base}/api/v1/resources/${encodeURIComponent(opts.resource)}/batches?${query}`,
          {
            method: 'POST',
            body: upload.stream,
            duplex: 'half',
            headers: api.headers({
              'content-type': type,
              'idempotency-key': key,
              accept: 'application/json',
              'x-file-name': encodeURIComponent(path.basename(file)),
            }),
          } as RequestInit,
        );
      } catch (err) {
        bar?.stop();
        throw new CliError(
          `cannot reach ${api.base}: ${(err as Error).cause ?? (err as Error).message}; push again to retry (idempotency key ${key})`,
        );
      }
      bar?.stop();
      const body = (await res.json().catch(() => ({}))) as {
        batch?: Batch;
        replayed?: boolean;
        error?: { code: string; message: string; details: Record<string, unknown> };
      };
      const t = upload.totals();
      if (body.batch) {
        const b = body.batch;
        if (body.replayed)
          console.log(`already loaded under idempotency key ${key}: batch ${b.id}`);
        else
          console.log(
            `sent ${(t.bytes / 1048576).toFixed(1)} MB${t.rows ? `, ${t.rows.toLocaleString('en')} rows` : ''} in ${t.seconds.toFixed(1)} s (${(t.bytes / 1048576 / Math.max(t.seconds, 0.001)).toFixed(1)} MB/s)`,
          );
        console.log(
          `batch ${b.id} ${b.status}: ${b.received} received, ${b.accepted} accepted (${b.inserted} inserted, ${b.updated} updated, ${b.deleted} deleted, ${b.unchanged} unchanged), ${b.rejected} rejected`,
        );
        if (b.rejected > 0) await printRejected(api, b.id, opts.rejected);
        process.exitCode = b.status === 'committed' ? 0 : 1;
        return;
      }
      const e = body.error;
      if (e?.code === 'BATCH_REJECTED') {
        console.log(
          `batch ${String(e.details.batchId)} rejected (strict mode): ${String(e.details.rejected)} of ${String(e.details.received)} rows break rules; nothing was loaded`,
        );
        await printRejected(api, String(e.details.batchId), opts.rejected);
        process.exitCode = 3;
        return;
      }
      if (e?.code === 'BATCH_FAILED') {
        console.log(
          `batch ${String(e.details.batchId)} failed: ${String(e.details.message ?? e.details.reason)}${e.details.line ? ` (line ${String(e.details.line)})` : ''}; nothing was loaded`,
        );
        process.exitCode = 4;
        return;
      }
      throw CliError.fromResponse(res.status, body);
    });
}
