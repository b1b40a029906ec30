-- Hourly totals per body, without the action and the channel: the home page's activity chart sums
-- these (a few rows an hour per body) rather than every channel's hourly totals (720,000 rows for a
-- month of 1,000 channels read every hour). Filled by the same roll-up as audit_hourly.
CREATE TABLE audit_hourly_org (
  hour    timestamptz NOT NULL,
  org_id  uuid,
  outcome text NOT NULL,
  entries bigint NOT NULL,
  rows    bigint NOT NULL
);
CREATE INDEX audit_hourly_org_hour_idx ON audit_hourly_org (hour);

INSERT INTO audit_hourly_org (hour, org_id, outcome, entries, rows)
  SELECT hour, org_id, outcome, sum(entries), sum(rows) FROM audit_hourly GROUP BY 1, 2, 3;
