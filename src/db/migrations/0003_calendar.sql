-- Holiday overrides on top of the chinese-days calendar, editable by the platform admin.
CREATE TABLE calendar_overrides (
  day         date PRIMARY KEY,
  kind        text NOT NULL CHECK (kind IN ('workday', 'holiday')),
  note        text,
  updated_by  uuid REFERENCES users(id),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
