-- Hourly totals of the audit ledger, for charts (channel usage, the home page's activity) that would
-- otherwise count millions of entries on each view: every read of shared data writes one. The
-- ledger is append-only, so an hour's totals never change once its entries are all written; hours
-- before audit_hourly_state.through are rolled up, later ones are counted from the ledger itself.
CREATE TABLE audit_hourly (
  hour        timestamptz NOT NULL,
  org_id      uuid,
  action      text NOT NULL,
  outcome     text NOT NULL,
  target_type text,
  target_id   text, -- channels only (their usage charts); null for other targets
  entries     integer NOT NULL,
  rows        bigint NOT NULL -- the sum of details.rows: rows returned by reads
);
CREATE INDEX audit_hourly_hour_idx ON audit_hourly (hour);
CREATE INDEX audit_hourly_target_idx ON audit_hourly (target_id, hour) WHERE target_id IS NOT NULL;

CREATE TABLE audit_hourly_state (
  id      boolean PRIMARY KEY DEFAULT true CHECK (id),
  through timestamptz -- hours before this are in audit_hourly; null until the first roll-up
);
INSERT INTO audit_hourly_state (through) VALUES (NULL);
