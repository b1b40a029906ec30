-- Sessions end when unused for GONGSHU_SESSION_IDLE_MINUTES (last_seen_at, written at most once a
-- minute while in use) and at expires_at, which from now on is the absolute end set at sign-in
-- (GONGSHU_SESSION_MAX_HOURS) and is never moved, however much the session is used.
ALTER TABLE sessions ADD COLUMN last_seen_at timestamptz NOT NULL DEFAULT now();
