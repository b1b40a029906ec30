-- Quality scores (C5): one run per loaded batch, each score a share between 0 and 1.
CREATE TABLE quality_runs (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  resource_id   uuid NOT NULL REFERENCES pool_tables(resource_id),
  batch_id      uuid NOT NULL UNIQUE REFERENCES batches(id) ON DELETE CASCADE,
  at            timestamptz NOT NULL DEFAULT now(),
  rows_checked  bigint NOT NULL,
  completeness  numeric(5,4) NOT NULL,
  accuracy      numeric(5,4) NOT NULL,
  consistency   numeric(5,4) NOT NULL,
  timeliness    numeric(5,4) NOT NULL,
  overall       numeric(5,4) NOT NULL,
  -- [{field, rule, violations}] for the rules that were broken
  rule_results  jsonb NOT NULL DEFAULT '[]'
);
CREATE INDEX quality_runs_resource_idx ON quality_runs (resource_id, at);
