/**
 * Loading one batch: register it (idempotently), COPY the upload into a temporary staging
 * table, validate set-based in SQL, then merge — all in one transaction on one connection, so
 * a batch commits whole or leaves nothing. While it works, the connection holds a session
 * advisory lock named by the batch; a 'running' batch whose lock is free belongs to a process
 * that died, and is marked failed (see recoverInterruptedBatches).
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import type { Db, Tx } from '../../db/pool.js';
import { withTx } from '../../db/pool.js';
import { AppError, invalid } from '../../lib/errors.js';
import * as audit from '../audit/index.js';
import * as quality from '../quality/index.js';
import * as classification from '../classification/index.js';
import type { Actor } from '../identity/index.js';
import type { BatchFormat, BatchMode, PoolEntry } from './pool.types.js';
import * as repo from './pool.repository.js';
import { mayLoad } from './pool.policy.js';
import { ByteCounter, MalformedInput, csvSource, objectSource, type CopySource } from './pool.sources.js';
import { col, ident } from './pool.sql.js';
import * as rules from './pool.validation.js';
import { mergeBatch } from './pool.merge.js';

/** Namespace of the session advisory locks held by loading connections ('pool'). */
const LOCK_NAMESPACE = 0x706f6f6c;

export interface LoadInput {
  resourceId: string;
  mode: BatchMode;
  strict: boolean;
  idempotencyKey: string | null;
  format: BatchFormat;
  fileName: string | null;
  body: AsyncIterable<Buffer>;
}

export interface LoadContext { crypto: 'gm' | 'standard'; requestId?: string; clientIp?: string }

export interface LoadResult { batch: repo.BatchRow; replayed: boolean }

/** Loads one upload into a resource's pool as one batch. */
export async function loadBatch(db: Db, actor: Actor, input: LoadInput, ctx: LoadContext): Promise<LoadResult> {
  const entry = await withTx(db, (tx) => repo.findPoolEntry(tx, input.resourceId));
  if (!entry || !mayLoad(actor, entry)) throw new AppError('NOT_FOUND');
  if (input.mode === 'upsert' && !entry.identifierField) throw invalid('mode', 'identifier_required');

  const counter = new ByteCounter();
  const raw = Readable.from(counter.count(input.body), { objectMode: false });
  const source = input.format === 'csv' ? await csvSource(raw, entry.fields) : objectSource(input.format, raw, entry.fields);

  const registered = await registerBatch(db, actor, entry, input);
  if ('replay' in registered) {
    raw.destroy();
    return { batch: registered.replay, replayed: true };
  }
  const batch = registered.batch;
  const client = await db.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1, $2)', [LOCK_NAMESPACE, batch.lock_no]);
    await client.query('BEGIN');
    const finished = await runBatch(client, actor, entry, batch, source, counter, input, ctx);
    await client.query('COMMIT');
    await client.query('SELECT pg_advisory_unlock($1, $2)', [LOCK_NAMESPACE, batch.lock_no]);
    client.release();
    return { batch: finished, replayed: false };
  } catch (err) {
    // Dropping the connection rolls the transaction back and frees the batch lock at once.
    client.release(err instanceof Error ? err : new Error(String(err)));
    raw.destroy();
    const reason = describeFailure(err, input.format);
    await withTx(db, (tx) => repo.failBatch(tx, batch.id, reason));
    if (reason.reason === 'internal') throw err;
    throw new AppError('BATCH_FAILED', { batchId: batch.id, ...reason });
  }
}

/** Creates the batch, or finds the one already made under the same idempotency key. */
async function registerBatch(db: Db, actor: Actor, entry: PoolEntry, input: LoadInput): Promise<{ batch: repo.BatchRow } | { replay: repo.BatchRow }> {
  const fresh: repo.NewBatch = {
    resourceId: entry.resourceId, mode: input.mode, strict: input.strict, format: input.format, idempotencyKey: input.idempotencyKey,
    orgId: actor.orgId, actorKind: actor.kind, actorId: actor.id, actorName: actor.name, fileName: input.fileName,
  };
  try {
    return await withTx(db, async (tx) => {
      const existing = input.idempotencyKey ? await repo.findBatchByKey(tx, entry.resourceId, input.idempotencyKey) : null;
      if (!existing) return { batch: await repo.insertBatch(tx, fresh) };
      if (existing.status === 'committed' || existing.status === 'rejected') return { replay: existing };
      if (existing.status === 'running' && !(await ownerIsGone(tx, existing.lock_no))) {
        throw new AppError('BATCH_IN_PROGRESS', { batchId: existing.id });
      }
      return { batch: await repo.restartBatch(tx, existing.id, fresh) };
    });
  } catch (err) {
    if ((err as { code?: string }).code === '23505') throw new AppError('BATCH_IN_PROGRESS', { idempotencyKey: input.idempotencyKey });
    throw err;
  }
}

/** True when no connection holds the batch's lock any more: its loading process is gone. */
async function ownerIsGone(tx: Tx, lockNo: number): Promise<boolean> {
  const { rows } = await tx.query<{ free: boolean }>('SELECT pg_try_advisory_xact_lock($1, $2) AS free', [LOCK_NAMESPACE, lockNo]);
  return rows[0].free;
}

/**
 * Marks failed every 'running' batch whose loading connection is gone (a killed or crashed
 * process). Safe to call from any instance at any time; gongshu calls it at start-up and
 * before showing a running batch.
 */
export async function recoverInterruptedBatches(db: Db): Promise<number> {
  return withTx(db, async (tx) => {
    let failed = 0;
    for (const b of await repo.runningBatches(tx)) {
      if (await ownerIsGone(tx, b.lock_no)) {
        await repo.failBatch(tx, b.id, { reason: 'interrupted', message: 'the loading process stopped before the batch committed; nothing was loaded' });
        failed++;
      }
    }
    return failed;
  });
}

async function runBatch(
  tx: Tx, actor: Actor, entry: PoolEntry, batch: repo.BatchRow, source: CopySource, counter: ByteCounter, input: LoadInput, ctx: LoadContext,
): Promise<repo.BatchRow> {
  await tx.query(`SET LOCAL work_mem = '64MB'`);
  const textColumns = entry.fields.map((f) => `${col(f)} text`).join(', ');
  await tx.query(`CREATE TEMP TABLE gongshu_staging (_rn bigint GENERATED ALWAYS AS IDENTITY, ${textColumns}${textColumns ? ',' : ''}
    _p_field text, _p_rule text, _p_value text, _bad boolean NOT NULL DEFAULT false) ON COMMIT DROP`);
  const copyOptions = source.copyFormat === 'csv' ? 'FORMAT csv' : 'FORMAT text';
  await pipeline(source.stream, tx.query(copyFrom(`COPY ${rules.STAGING} (${source.columns.map(ident).join(', ')}) FROM STDIN WITH (${copyOptions})`)));
  // one batch merges into a resource at a time, so identifiers are checked against a settled pool
  await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`pool:${entry.resourceId}`]);

  const profile = (await tx.query<{ received: number; filled: number }>(rules.profileSql(entry))).rows[0];
  const fieldRules = rules.fieldRulesSql(entry, batch.id);
  await tx.query(fieldRules.text, fieldRules.values);
  for (const sql of [rules.uniqueInBatchSql(entry), rules.uniqueInPoolSql(entry, input.mode)]) if (sql) await tx.query(sql, [batch.id]);
  const summary = (await tx.query<{ rejected: number; inaccurate: number; inconsistent: number }>(rules.rejectionSummarySql, [batch.id])).rows[0];
  if (summary.rejected > 0) await tx.query(rules.markRejectedSql, [batch.id]);

  const refuse = input.strict && summary.rejected > 0;
  const merged = refuse ? { inserted: 0, updated: 0, deleted: 0 } : await mergeBatch(tx, entry, input.mode, batch.id);
  const accepted = refuse ? 0 : profile.received - summary.rejected;

  const scores = quality.batchScores({
    received: profile.received, fieldCount: entry.fields.length, filledCells: profile.filled,
    inaccurateRows: summary.inaccurate, inconsistentRows: summary.inconsistent,
    timeliness: quality.timeliness(entry.updateFrequency, entry.lastLoadedAt ?? entry.publishedAt, new Date()),
  });
  const ruleCounts = (await tx.query<quality.RuleResult>(rules.ruleCountsSql, [batch.id])).rows;
  await quality.recordRun(tx, { resourceId: entry.resourceId, batchId: batch.id, rowsChecked: profile.received, scores, rules: ruleCounts });
  if (!refuse) {
    if (!entry.lastLoadedAt) await proposeClassification(tx, entry, profile.received);
    await repo.touchLastLoaded(tx, entry.resourceId);
  }
  const finished = await repo.finishBatch(tx, batch.id, {
    status: refuse ? 'rejected' : 'committed', received: profile.received, accepted, rejected: summary.rejected,
    ...merged, unchanged: accepted - merged.inserted - merged.updated, bytes: counter.bytes, error: null,
  });
  await audit.append(tx, ctx.crypto, [{
    actor: { kind: actor.kind, id: actor.id, name: actor.name, orgId: actor.orgId }, action: 'pool.batch.load', targetType: 'batch',
    targetId: batch.id, outcome: refuse ? 'failure' : 'success', requestId: ctx.requestId ?? null, clientIp: ctx.clientIp ?? null,
    details: { resourceId: entry.resourceId, mode: input.mode, strict: input.strict, format: input.format, received: profile.received, accepted, rejected: summary.rejected, ...merged },
  }]);
  return finished;
}

/** On a resource's first load, samples accepted rows for personal data. */
async function proposeClassification(tx: Tx, entry: PoolEntry, received: number): Promise<void> {
  const textFields = entry.fields.filter((f) => f.type === 'string');
  if (!textFields.length || received === 0) return;
  const step = Math.max(1, Math.floor(received / 200));
  const { rows } = await tx.query(
    `SELECT ${textFields.map(col).join(', ')} FROM ${rules.STAGING} WHERE NOT _bad AND _rn % $1 = 0 LIMIT 200`, [step]);
  await classification.proposeFromSample(tx, entry.resourceId, textFields.map((f) => ({ name: f.name, values: rows.map((r) => r[f.column]) })), 'batch');
}

/** PostgreSQL errors a malformed upload causes (bad CSV shape, encoding, broken COPY data). */
const INPUT_ERRORS = new Set(['22P04', '22P02', '22021', '22001', '22026', '08P01', '57014']);

function describeFailure(err: unknown, format: BatchFormat): { reason: string; message: string; [k: string]: unknown } {
  if (err instanceof AppError) return { reason: 'malformed', message: String(err.details.rule ?? err.code), ...err.details };
  if (err instanceof MalformedInput) return { reason: 'malformed', message: err.message };
  const e = err as { code?: string; message?: string; where?: string };
  if (e?.code && INPUT_ERRORS.has(e.code)) {
    const line = /line (\d+)/.exec(e.where ?? '')?.[1];
    return { reason: 'malformed', message: e.message ?? 'malformed upload', ...(line ? { line: Number(line) + (format === 'csv' ? 1 : 0) /* the header line was read before COPY */ } : {}) };
  }
  if (e && ['ECONNRESET', 'ERR_STREAM_PREMATURE_CLOSE'].includes((e as { code?: string }).code ?? '') || /aborted/i.test(e?.message ?? '')) {
    return { reason: 'aborted', message: 'the upload stopped before it was complete; nothing was loaded' };
  }
  return { reason: 'internal', message: 'the batch could not be loaded; nothing was loaded' };
}
