/**
 * Loading one batch: register it (idempotently), stream the upload through the field rules in Node
 * into COPY — straight into an empty pool table, else into a temporary staging table — check the
 * dataset rules set-based in SQL, then merge — all in one transaction on one connection, so a batch
 * commits whole or leaves nothing. While it works, the connection holds a session advisory lock
 * named by the batch; a 'running' batch whose lock is free belongs to a process that died, and is
 * marked failed (see recoverInterruptedBatches).
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
import type { BatchFormat, BatchMode, PoolEntry, PoolField } from './pool.types.js';
import * as repo from './pool.repository.js';
import { mayLoad } from './pool.policy.js';
import {
  ByteCounter,
  MalformedInput,
  csvSource,
  isAborted,
  nonEmpty,
  objectSource,
  type RowSource,
} from './pool.sources.js';
import { changeTable, col, ident, poolTable } from './pool.sql.js';
import { BatchRows } from './pool.stream.js';
import { sqlPatternFields } from './pool.checks.js';
import * as rules from './pool.validation.js';
import { mergeBatch, logged, insertSql } from './pool.merge.js';

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
  /** An upload longer than this stops with 413 PAYLOAD_TOO_LARGE and loads nothing. */
  maxBytes?: number;
}

export interface LoadContext {
  crypto: 'gm' | 'standard';
  requestId?: string;
  clientIp?: string;
}

export interface LoadResult {
  batch: repo.BatchRow;
  replayed: boolean;
}

/** Loads one upload into a resource's pool as one batch. */
export async function loadBatch(
  db: Db,
  actor: Actor,
  input: LoadInput,
  ctx: LoadContext,
): Promise<LoadResult> {
  const entry = await withTx(db, (tx) => repo.findPoolEntry(tx, input.resourceId));
  if (!entry || !mayLoad(actor, entry)) throw new AppError('NOT_FOUND');
  if (input.mode === 'upsert' && !entry.identifierField)
    throw invalid('mode', 'identifier_required');

  const counter = new ByteCounter(input.maxBytes);
  const raw = Readable.from(await nonEmpty(counter.count(input.body)), { objectMode: false });
  const source =
    input.format === 'csv'
      ? await csvSource(raw, entry.fields)
      : objectSource(input.format, raw, entry.fields);

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
    if (tooLarge(err)) {
      await withTx(db, (tx) =>
        repo.failBatch(tx, batch.id, {
          reason: 'too_large',
          message: `the upload is larger than ${input.maxBytes} bytes; nothing was loaded`,
        }),
      );
      throw new AppError('PAYLOAD_TOO_LARGE', { batchId: batch.id, limitBytes: input.maxBytes });
    }
    const reason = describeFailure(err, input.format, entry);
    await withTx(db, (tx) => repo.failBatch(tx, batch.id, reason));
    if (reason.reason === 'internal') throw err;
    // input refused on its face (a key that names no field, no rows at all) answers as before a
    // batch: 400, naming what is wrong
    if (err instanceof AppError && err.code === 'VALIDATION_FAILED')
      throw new AppError('VALIDATION_FAILED', { ...err.details, batchId: batch.id });
    // what the database or a parser said goes to the log (the error's cause), never to the client
    throw Object.assign(new AppError('BATCH_FAILED', { batchId: batch.id, ...reason }), {
      cause: err,
    });
  }
}

/** The upload passed its size cap: counted here, or by the multipart reader (its 413). */
const tooLarge = (err: unknown) =>
  err instanceof AppError
    ? err.code === 'PAYLOAD_TOO_LARGE'
    : (err as { statusCode?: number } | null)?.statusCode === 413;

/** Creates the batch, or finds the one already made under the same idempotency key. */
async function registerBatch(
  db: Db,
  actor: Actor,
  entry: PoolEntry,
  input: LoadInput,
): Promise<{ batch: repo.BatchRow } | { replay: repo.BatchRow }> {
  const fresh: repo.NewBatch = {
    resourceId: entry.resourceId,
    mode: input.mode,
    strict: input.strict,
    format: input.format,
    idempotencyKey: input.idempotencyKey,
    orgId: actor.orgId,
    actorKind: actor.kind,
    actorId: actor.id,
    actorName: actor.displayName,
    fileName: input.fileName,
  };
  try {
    return await withTx(db, async (tx) => {
      const existing = input.idempotencyKey
        ? await repo.findBatchByKey(tx, entry.resourceId, input.idempotencyKey)
        : null;
      if (!existing) return { batch: await repo.insertBatch(tx, fresh) };
      if (existing.status === 'committed' || existing.status === 'rejected')
        return { replay: existing };
      if (existing.status === 'running' && !(await ownerIsGone(tx, existing.lock_no))) {
        throw new AppError('BATCH_IN_PROGRESS', { batchId: existing.id });
      }
      return { batch: await repo.restartBatch(tx, existing.id, fresh) };
    });
  } catch (err) {
    if ((err as { code?: string }).code === '23505')
      throw new AppError('BATCH_IN_PROGRESS', { idempotencyKey: input.idempotencyKey });
    throw err;
  }
}

/** True when no connection holds the batch's lock any more: its loading process is gone. */
async function ownerIsGone(tx: Tx, lockNo: number): Promise<boolean> {
  const { rows } = await tx.query<{ free: boolean }>(
    'SELECT pg_try_advisory_xact_lock($1, $2) AS free',
    [LOCK_NAMESPACE, lockNo],
  );
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
        await repo.failBatch(tx, b.id, {
          reason: 'interrupted',
          message: 'the loading process stopped before the batch committed; nothing was loaded',
        });
        failed++;
      }
    }
    return failed;
  });
}

async function runBatch(
  tx: Tx,
  actor: Actor,
  entry: PoolEntry,
  batch: repo.BatchRow,
  source: RowSource,
  counter: ByteCounter,
  input: LoadInput,
  ctx: LoadContext,
): Promise<repo.BatchRow> {
  await tx.query(`SET LOCAL work_mem = '64MB'`);
  // one batch loads into a resource at a time, so identifiers are checked against a settled pool
  await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
    `pool:${entry.resourceId}`,
  ]);
  const id = rules.identifier(entry);
  const patternFields = sqlPatternFields(entry);
  const poolEmpty = (
    await tx.query<{ empty: boolean }>(
      `SELECT NOT EXISTS (SELECT 1 FROM ${poolTable(entry)}) AS empty`,
    )
  ).rows[0].empty;
  // straight into the pool when nothing there can conflict; text identifiers compare as staged
  const direct =
    poolEmpty && !input.strict && (!id || id.type === 'string') && patternFields.length === 0;
  const rowsOut = new BatchRows(entry, batch.id, direct, source.csvColumns);
  try {
    return await checkAndMerge(
      tx,
      actor,
      entry,
      batch,
      source,
      counter,
      input,
      ctx,
      rowsOut,
      id,
      patternFields,
    );
  } finally {
    rowsOut.dispose();
  }
}

async function createStaging(tx: Tx, entry: PoolEntry): Promise<void> {
  const textColumns = entry.fields.map((f) => `${col(f)} text`).join(', ');
  await tx.query(`CREATE TEMP TABLE gongshu_staging (_rn bigint NOT NULL, ${textColumns}${textColumns ? ',' : ''}
    _bad boolean NOT NULL DEFAULT false) ON COMMIT DROP`);
}

const stagingColumns = (entry: PoolEntry) => ['_rn', ...entry.fields.map(col), '_bad'].join(', ');

async function checkAndMerge(
  tx: Tx,
  actor: Actor,
  entry: PoolEntry,
  batch: repo.BatchRow,
  source: RowSource,
  counter: ByteCounter,
  input: LoadInput,
  ctx: LoadContext,
  rowsOut: BatchRows,
  id: PoolField | undefined,
  patternFields: PoolField[],
): Promise<repo.BatchRow> {
  // GONGSHU_BATCH_TIMING=1 prints each phase's end (ms since the COPY began) to stderr, for the
  // benchmark's breakdown
  const t0 = Date.now();
  const lap = (phase: string) => {
    if (process.env.GONGSHU_BATCH_TIMING)
      process.stderr.write(`batch ${batch.id} ${phase} ${Date.now() - t0} ms\n`);
  };
  const encoded = Readable.from(rowsOut.encode(source.chunks), { objectMode: false });
  let firstRowId: bigint | null = null;
  if (rowsOut.direct) {
    // a datetime without an offset is Beijing time, as castExpr reads it
    const zone = (await tx.query<{ TimeZone: string }>('SHOW TimeZone')).rows[0].TimeZone;
    await tx.query(`SET LOCAL TimeZone = 'Asia/Shanghai'`);
    firstRowId = await nextRowId(tx, entry);
    // an empty table is filled first and indexed after (a sorted build, not a million inserts);
    // this takes the pool table exclusively until the batch commits
    const indexes = await dropIndexes(tx, poolTable(entry));
    if (rowsOut.csvColumns) {
      // CSV as it came: the batch id is the column's default for the time of the COPY; quoted
      // empty cells are null, as castExpr reads them
      if (!/^[0-9a-f-]{36}$/.test(batch.id)) throw new Error('unexpected batch id');
      await tx.query(
        `ALTER TABLE ${poolTable(entry)} ALTER COLUMN _batch_id SET DEFAULT '${batch.id}'::uuid`,
      );
      const cols = rowsOut.csvColumns.map((i) => col(entry.fields[i])).join(', ');
      await pipeline(
        encoded,
        tx.query(
          copyFrom(
            `COPY ${poolTable(entry)} (${cols}) FROM STDIN WITH (FORMAT csv, FORCE_NULL (${cols}))`,
          ),
        ),
      );
      await tx.query(`ALTER TABLE ${poolTable(entry)} ALTER COLUMN _batch_id DROP DEFAULT`);
    } else {
      const cols = [...entry.fields.map(col), '_batch_id'].join(', ');
      await pipeline(
        encoded,
        tx.query(copyFrom(`COPY ${poolTable(entry)} (${cols}) FROM STDIN WITH (FORMAT text)`)),
      );
    }
    lap('copy-direct');
    await tx.query(`SELECT set_config('TimeZone', $1, true)`, [zone]);
    await tx.query(`SET LOCAL maintenance_work_mem = '256MB'`);
    for (const sql of indexes) await tx.query(sql);
  } else {
    await createStaging(tx, entry);
    await pipeline(
      encoded,
      tx.query(
        copyFrom(`COPY ${rules.STAGING} (${stagingColumns(entry)}) FROM STDIN WITH (FORMAT text)`),
      ),
    );
  }
  if (rowsOut.rejections.count > 0) {
    await pipeline(
      rowsOut.rejections.stream(),
      tx.query(
        copyFrom(
          'COPY rejected_rows (batch_id, row_no, field, rule, value) FROM STDIN WITH (FORMAT text)',
        ),
      ),
    );
  }
  lap('copy');
  const profile = { received: rowsOut.counts.received, filled: rowsOut.counts.filled };
  let staged = !rowsOut.direct;
  if (rowsOut.direct && rowsOut.deferred.count > 0) {
    await createStaging(tx, entry);
    await pipeline(
      rowsOut.deferred.stream(),
      tx.query(
        copyFrom(`COPY ${rules.STAGING} (${stagingColumns(entry)}) FROM STDIN WITH (FORMAT text)`),
      ),
    );
    staged = true;
    if (id) await tx.query(rules.uniqueInBatchSql(entry, true)!, [batch.id]);
  } else if (!rowsOut.direct) {
    for (const f of patternFields) {
      const q = rules.sqlPatternSql(f);
      await tx.query(q.text, [batch.id, ...q.values]);
    }
    if (rowsOut.ids.maybeRepeats) {
      const sql = rules.uniqueInBatchSql(entry);
      if (sql) await tx.query(sql, [batch.id]);
    }
    const sql = rules.uniqueInPoolSql(entry, input.mode);
    if (sql) await tx.query(sql, [batch.id]);
  }
  const summary = (
    await tx.query<{ rejected: number; inaccurate: number; inconsistent: number }>(
      rules.rejectionSummarySql,
      [batch.id],
    )
  ).rows[0];
  if (summary.rejected > 0 && staged) await tx.query(rules.markRejectedSql, [batch.id]);

  lap('checks');
  const refuse = input.strict && summary.rejected > 0;
  const merged = refuse
    ? { inserted: 0, updated: 0, deleted: 0 }
    : rowsOut.direct
      ? await mergeDirect(tx, entry, batch.id, rowsOut.counts.direct, firstRowId, staged)
      : await mergeBatch(tx, entry, input.mode, batch.id);
  const accepted = refuse ? 0 : profile.received - summary.rejected;

  lap('merge');
  const scores = quality.batchScores({
    received: profile.received,
    fieldCount: entry.fields.length,
    filledCells: profile.filled,
    inaccurateRows: summary.inaccurate,
    inconsistentRows: summary.inconsistent,
    timeliness: quality.timeliness(
      entry.updateFrequency,
      entry.lastLoadedAt ?? entry.publishedAt,
      new Date(),
    ),
  });
  const ruleCounts = (await tx.query<quality.RuleResult>(rules.ruleCountsSql, [batch.id])).rows;
  await quality.recordRun(tx, {
    resourceId: entry.resourceId,
    batchId: batch.id,
    rowsChecked: profile.received,
    scores,
    rules: ruleCounts,
  });
  if (!refuse) {
    if (!entry.lastLoadedAt)
      await proposeClassification(tx, entry, profile.received, rowsOut.direct ? batch.id : null);
    await repo.touchLastLoaded(tx, entry.resourceId);
  }
  const finished = await repo.finishBatch(tx, batch.id, {
    status: refuse ? 'rejected' : 'committed',
    received: profile.received,
    accepted,
    rejected: summary.rejected,
    ...merged,
    unchanged: accepted - merged.inserted - merged.updated,
    bytes: counter.bytes,
    error: null,
  });
  await audit.append(tx, ctx.crypto, [
    {
      actor: { kind: actor.kind, id: actor.id, name: actor.name, orgId: actor.orgId },
      action: 'pool.batch.load',
      targetType: 'batch',
      targetId: batch.id,
      outcome: refuse ? 'failure' : 'success',
      requestId: ctx.requestId ?? null,
      clientIp: ctx.clientIp ?? null,
      details: {
        resourceId: entry.resourceId,
        mode: input.mode,
        strict: input.strict,
        format: input.format,
        received: profile.received,
        accepted,
        rejected: summary.rejected,
        ...merged,
      },
    },
  ]);
  lap('end');
  return finished;
}

/**
 * The rows a direct load put in the pool get their change rows in one statement; rows it
 * staged instead (possible repeats that were not) are inserted from the staging table.
 */
async function mergeDirect(
  tx: Tx,
  entry: PoolEntry,
  batchId: string,
  direct: number,
  firstRowId: bigint | null,
  staged: boolean,
) {
  let inserted = 0;
  if (direct > 0) {
    // the COPY drew its row ids from the table's identity sequence; when it drew exactly one per
    // row (nobody else inserts while the batch holds the resource's lock), they are a range
    const next = await nextRowId(tx, entry);
    // the pool was empty, so its change table is too (rows are never erased): index it after
    const empty = (
      await tx.query<{ empty: boolean }>(
        `SELECT NOT EXISTS (SELECT 1 FROM ${changeTable(entry)}) AS empty`,
      )
    ).rows[0].empty;
    const indexes = empty ? await dropIndexes(tx, changeTable(entry)) : [];
    const res =
      firstRowId !== null && next - firstRowId === BigInt(direct)
        ? await logRange(tx, entry, batchId, firstRowId, direct)
        : await tx.query(
            `INSERT INTO ${changeTable(entry)} (op, row_id, batch_id) SELECT 'insert', _row_id, $1 FROM ${poolTable(entry)} WHERE _batch_id = $1`,
            [batchId],
          );
    for (const sql of indexes) await tx.query(sql);
    inserted += res.rowCount ?? 0;
  }
  if (staged) inserted += await logged(tx, entry, 'insert', insertSql(entry, false), batchId);
  return { inserted, updated: 0, deleted: 0 };
}

/**
 * Drops the indexes and primary key of an empty table (a pool table or its change table);
 * returns the statements that build them again, with the same names.
 */
async function dropIndexes(tx: Tx, table: string): Promise<string[]> {
  const { rows } = await tx.query<{ name: string; def: string; constraint: string | null }>(
    `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def, c.conname AS constraint
       FROM pg_index i LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid
      WHERE i.indrelid = $1::regclass`,
    [table],
  );
  const rebuild: string[] = [];
  for (const r of rows) {
    if (r.constraint) {
      const {
        rows: [con],
      } = await tx.query<{ def: string }>(
        'SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = $1::regclass AND conname = $2',
        [table, r.constraint],
      );
      await tx.query(`ALTER TABLE ${table} DROP CONSTRAINT ${ident(r.constraint)}`);
      rebuild.push(`ALTER TABLE ${table} ADD CONSTRAINT ${ident(r.constraint)} ${con.def}`);
    } else {
      await tx.query(`DROP INDEX ${r.name}`);
      rebuild.push(r.def);
    }
  }
  return rebuild;
}

/**
 * Change rows for the row ids first…first+count−1, their cursors taken from the change table's
 * sequence as one range.
 */
async function logRange(tx: Tx, entry: PoolEntry, batchId: string, first: bigint, count: number) {
  const {
    rows: [{ seq }],
  } = await tx.query<{ seq: string }>(`SELECT pg_get_serial_sequence($1, 'cursor') AS seq`, [
    changeTable(entry),
  ]);
  const {
    rows: [{ cursor }],
  } = await tx.query<{ cursor: string }>(
    'SELECT setval($1::regclass, nextval($1::regclass) + $2::bigint - 1) - $2::bigint + 1 AS cursor',
    [seq, count],
  );
  return tx.query(
    `INSERT INTO ${changeTable(entry)} (cursor, op, row_id, batch_id) OVERRIDING SYSTEM VALUE
    SELECT $4::bigint + (g - $2::bigint), 'insert', g, $1 FROM generate_series($2::bigint, $3::bigint) g`,
    [batchId, String(first), String(first + BigInt(count) - 1n), cursor],
  );
}

/** The value the pool table's row-id sequence hands out next. */
async function nextRowId(tx: Tx, entry: PoolEntry): Promise<bigint> {
  const { rows } = await tx.query<{ seq: string }>(
    `SELECT pg_get_serial_sequence($1, '_row_id') AS seq`,
    [poolTable(entry)],
  );
  const state = (
    await tx.query<{ last_value: string; is_called: boolean }>(
      `SELECT last_value, is_called FROM ${rows[0].seq}`,
    )
  ).rows[0];
  return BigInt(state.last_value) + (state.is_called ? 1n : 0n);
}

/**
 * On a resource's first load, samples accepted rows for personal data (from the pool when the load
 * went there directly).
 */
async function proposeClassification(
  tx: Tx,
  entry: PoolEntry,
  received: number,
  directBatch: string | null,
): Promise<void> {
  const textFields = entry.fields.filter((f) => f.type === 'string');
  if (!textFields.length || received === 0) return;
  const step = Math.max(1, Math.floor(received / 200));
  const { rows } = directBatch
    ? await tx.query(
        `SELECT ${textFields.map(col).join(', ')} FROM ${poolTable(entry)} WHERE _batch_id = $2 AND _row_id % $1 = 0 LIMIT 200`,
        [step, directBatch],
      )
    : await tx.query(
        `SELECT ${textFields.map(col).join(', ')} FROM ${rules.STAGING} WHERE NOT _bad AND _rn % $1 = 0 LIMIT 200`,
        [step],
      );
  await classification.proposeFromSample(
    tx,
    entry.resourceId,
    textFields.map((f) => ({ name: f.name, values: rows.map((r) => r[f.column]) })),
    'batch',
  );
}

/**
 * PostgreSQL errors a malformed upload could cause (bad COPY data, encoding, a value too long, a
 * cancelled statement), each as a stable rule. The loader checks what it writes, so none is
 * expected; should one come, the client gets the rule, the field and the line, never PostgreSQL's
 * text (which quotes the value and the staging table).
 */
const INPUT_ERRORS = new Map([
  ['22P04', 'copy_format'],
  ['22P02', 'type'],
  ['22021', 'encoding'],
  ['22001', 'length'],
  ['22026', 'length'],
  ['08P01', 'protocol'],
  ['57014', 'cancelled'],
]);

/**
 * Why a batch failed, as stored with the batch and answered: a stable `rule`, our own words, and
 * the field and line when known.
 */
function describeFailure(
  err: unknown,
  format: BatchFormat,
  entry: PoolEntry,
): { reason: string; message: string; [k: string]: unknown } {
  if (err instanceof AppError)
    return { reason: 'malformed', message: String(err.details.rule ?? err.code), ...err.details };
  if (err instanceof MalformedInput)
    return {
      reason: 'malformed',
      rule: err.rule,
      message: err.message,
      ...(err.line ? { line: err.line } : {}),
    };
  const e = err as { code?: string; where?: string };
  const rule = INPUT_ERRORS.get(e?.code ?? '');
  if (rule) {
    const line = /line (\d+)/.exec(e.where ?? '')?.[1];
    const column = /column (c_\d+)/.exec(e.where ?? '')?.[1];
    const field = entry.fields.find((f) => f.column === column)?.name;
    return {
      reason: 'malformed',
      rule,
      message: 'a value could not be stored; nothing was loaded',
      ...(field ? { field } : {}),
      ...(line
        ? {
            line:
              Number(line) + (format === 'csv' ? 1 : 0) /* the header line was read before COPY */,
          }
        : {}),
    };
  }
  if (isAborted(err)) {
    return {
      reason: 'aborted',
      message: 'the upload stopped before it was complete; nothing was loaded',
    };
  }
  return { reason: 'internal', message: 'the batch could not be loaded; nothing was loaded' };
}
