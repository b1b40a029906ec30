-- 职能数据清单 审定 [003 §10]: a body submits its function data list to the data authority, which
-- approves it or returns it with a comment. No row: not submitted since the list last changed.
CREATE TABLE function_data_reviews (
  org_id            uuid PRIMARY KEY REFERENCES organisations(id),
  status            text NOT NULL CHECK (status IN ('submitted', 'approved', 'returned')),
  submitted_at      timestamptz NOT NULL,
  submitted_by_name text,
  decided_at        timestamptz,
  decided_by_name   text,
  comment           text
);
CREATE INDEX function_data_reviews_status_idx ON function_data_reviews (status);
