-- Collection into the pool (C4). Every published resource owns a table pool.r_<hex id> and a
-- change table pool.r_<hex id>_changes, created by the platform (see src/modules/pool/pool.ddl.ts);
-- pool_tables records them with the resource definition they were built from.
CREATE SCHEMA IF NOT EXISTS pool;

CREATE TABLE pool_tables (
  resource_id       uuid PRIMARY KEY,
  table_name        text NOT NULL UNIQUE CHECK (table_name ~ '^r_[0-9a-f]{32}$'),
  provider_org_id   uuid NOT NULL REFERENCES organisations(id),
  code              text,
  name              text NOT NULL,
  version           int NOT NULL,
  update_frequency  text NOT NULL,
  identifier_field  text,
  -- the catalog fields, each with the platform-generated column it lives in ("column": "c_3")
  fields            jsonb NOT NULL,
  next_column       int NOT NULL,
  published_at      timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  last_loaded_at    timestamptz
);
CREATE INDEX pool_tables_provider_idx ON pool_tables (provider_org_id);

CREATE TABLE batches (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  resource_id      uuid NOT NULL REFERENCES pool_tables(resource_id),
  -- the session advisory lock (namespace, lock_no) the loading connection holds while it works:
  -- a running batch whose lock is free belongs to a process that died
  lock_no          int GENERATED ALWAYS AS IDENTITY UNIQUE,
  mode             text NOT NULL CHECK (mode IN ('append', 'upsert', 'snapshot')),
  strict           boolean NOT NULL DEFAULT false,
  format           text NOT NULL CHECK (format IN ('json', 'ndjson', 'csv', 'xlsx')),
  idempotency_key  text,
  status           text NOT NULL CHECK (status IN ('running', 'committed', 'rejected', 'failed')),
  received         bigint NOT NULL DEFAULT 0,
  accepted         bigint NOT NULL DEFAULT 0,
  rejected         bigint NOT NULL DEFAULT 0,
  inserted         bigint NOT NULL DEFAULT 0,
  updated          bigint NOT NULL DEFAULT 0,
  deleted          bigint NOT NULL DEFAULT 0,
  unchanged        bigint NOT NULL DEFAULT 0,
  bytes            bigint NOT NULL DEFAULT 0,
  error            jsonb,
  org_id           uuid NOT NULL REFERENCES organisations(id),
  actor_kind       text NOT NULL,
  actor_id         uuid NOT NULL,
  actor_name       text NOT NULL,
  file_name        text,
  started_at       timestamptz NOT NULL DEFAULT now(),
  finished_at      timestamptz,
  CONSTRAINT batches_idempotency_key UNIQUE (resource_id, idempotency_key)
);
CREATE INDEX batches_resource_idx ON batches (resource_id, started_at DESC);
CREATE INDEX batches_running_idx ON batches (status) WHERE status = 'running';

-- Rows a batch did not load, with the rule they broke; never silently dropped.
CREATE TABLE rejected_rows (
  batch_id  uuid NOT NULL REFERENCES batches(id) ON DELETE CASCADE,
  row_no    bigint NOT NULL,
  field     text NOT NULL,
  rule      text NOT NULL,
  value     text
);
CREATE INDEX rejected_rows_batch_idx ON rejected_rows (batch_id, row_no);
