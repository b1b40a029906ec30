-- Sharing (C7): requests, their review steps, channels (grants), reads outside scope, push deliveries.
CREATE EXTENSION IF NOT EXISTS pgcrypto;

-- city-2016 特殊共享类: a resource of this type is shared only with the bodies named here [001 §8].
CREATE TABLE share_recipients (
  resource_id uuid NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
  org_id      uuid NOT NULL REFERENCES organisations(id),
  PRIMARY KEY (resource_id, org_id)
);

CREATE TABLE share_requests (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  resource_id       uuid NOT NULL REFERENCES resources(id),
  provider_org_id   uuid NOT NULL REFERENCES organisations(id),
  requester_org_id  uuid NOT NULL REFERENCES organisations(id),
  requester_id      uuid NOT NULL,
  requester_name    text NOT NULL,
  share_type        text NOT NULL,
  share_kind        text NOT NULL,
  fields            text[] NOT NULL,
  row_filter        jsonb,
  masking           jsonb,
  purpose           text NOT NULL,
  scenario          text NOT NULL,
  legal_basis       text,
  until             date NOT NULL,
  delivery          text NOT NULL CHECK (delivery IN ('api', 'export', 'push', 'verify')),
  push_endpoint     text,
  push_schedule     text CHECK (push_schedule IN ('hourly', 'daily')),
  status            text NOT NULL CHECK (status IN ('pending', 'approved', 'refused', 'withdrawn')),
  answer_due        date,
  deliver_due       date,
  overdue           boolean NOT NULL DEFAULT false,
  agreement_accepted_at timestamptz,
  agreement_by      uuid,
  decided_at        timestamptz,
  channel_id        uuid,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX share_requests_requester_idx ON share_requests (requester_org_id, created_at DESC);
CREATE INDEX share_requests_provider_idx ON share_requests (provider_org_id, created_at DESC);
CREATE INDEX share_requests_status_idx ON share_requests (status);

CREATE TABLE share_steps (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  request_id    uuid NOT NULL REFERENCES share_requests(id) ON DELETE CASCADE,
  position      int NOT NULL,
  reviewer      text NOT NULL CHECK (reviewer IN ('platform', 'authority', 'provider', 'requester')),
  status        text NOT NULL CHECK (status IN ('waiting', 'pending', 'approved', 'refused', 'skipped')),
  due           date,
  started_at    timestamptz,
  reminded_at   timestamptz,
  overdue_at    timestamptz,
  decided_by    uuid,
  decided_by_name text,
  decided_at    timestamptz,
  basis         text,
  comment       text,
  UNIQUE (request_id, position)
);
CREATE INDEX share_steps_pending_idx ON share_steps (status, due) WHERE status = 'pending';

CREATE TABLE channels (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  request_id       uuid NOT NULL REFERENCES share_requests(id),
  resource_id      uuid NOT NULL REFERENCES resources(id),
  provider_org_id  uuid NOT NULL REFERENCES organisations(id),
  consumer_org_id  uuid NOT NULL REFERENCES organisations(id),
  fields           text[] NOT NULL,
  row_filter       jsonb,
  masking          jsonb NOT NULL DEFAULT '{}',
  delivery         text NOT NULL,
  verify_only      boolean NOT NULL DEFAULT false,
  salt             text NOT NULL,
  status           text NOT NULL CHECK (status IN ('active', 'suspended', 'revoked', 'frozen', 'expired')),
  status_reason    text,
  expires_at       timestamptz NOT NULL,
  last_used_at     timestamptz,
  push_endpoint    text,
  push_schedule    text,
  push_cursor      bigint NOT NULL DEFAULT 0,
  next_push_at     timestamptz,
  push_claimed_until timestamptz,
  push_attempts    int NOT NULL DEFAULT 0,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX channels_consumer_idx ON channels (consumer_org_id);
CREATE INDEX channels_provider_idx ON channels (provider_org_id);
CREATE INDEX channels_push_idx ON channels (next_push_at) WHERE push_endpoint IS NOT NULL AND status = 'active';
ALTER TABLE share_requests ADD CONSTRAINT share_requests_channel_fk FOREIGN KEY (channel_id) REFERENCES channels(id);

-- Reads refused for asking outside a channel's scope [004 §17]: the authority's over-scope report.
CREATE TABLE share_violations (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  channel_id  uuid NOT NULL REFERENCES channels(id),
  org_id      uuid NOT NULL REFERENCES organisations(id),
  actor_id    uuid,
  actor_name  text,
  kind        text NOT NULL,
  detail      jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX share_violations_at_idx ON share_violations (at DESC);

CREATE TABLE push_deliveries (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  channel_id   uuid NOT NULL REFERENCES channels(id),
  at           timestamptz NOT NULL DEFAULT now(),
  cursor_from  bigint NOT NULL,
  cursor_to    bigint NOT NULL,
  rows         int NOT NULL,
  attempt      int NOT NULL,
  status       text NOT NULL CHECK (status IN ('delivered', 'failed')),
  http_status  int,
  error        text
);
CREATE INDEX push_deliveries_channel_idx ON push_deliveries (channel_id, id DESC);

-- Reminders and overdue notices raised by the sharing timers, shown on the home page.
CREATE TABLE notifications (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  org_id      uuid REFERENCES organisations(id),
  role        text,
  kind        text NOT NULL,
  subject_id  uuid,
  message     jsonb NOT NULL,
  read_at     timestamptz,
  UNIQUE (kind, subject_id, org_id, role)
);

-- Masking on the way out, in SQL so exports stream straight from COPY (C6).
CREATE FUNCTION gongshu_mask_keep(v text, head int, tail int) RETURNS text
  IMMUTABLE PARALLEL SAFE LANGUAGE sql AS $$
  SELECT CASE WHEN v IS NULL THEN NULL
              WHEN char_length(v) <= head + tail THEN repeat('*', char_length(v))
              ELSE left(v, head) || repeat('*', char_length(v) - head - tail) || CASE WHEN tail > 0 THEN right(v, tail) ELSE '' END END $$;

-- 广东省深圳市南山区科技园路1号 → 广东省深圳市南山区
CREATE FUNCTION gongshu_mask_address(v text) RETURNS text
  IMMUTABLE PARALLEL SAFE LANGUAGE sql AS $$
  SELECT CASE WHEN v IS NULL THEN NULL
              ELSE coalesce(substring(v FROM '^(.{2,}?(?:区|县|旗))'), substring(v FROM '^(.{2,}?市)'), left(v, 3)) || '***' END $$;

CREATE FUNCTION gongshu_mask_email(v text) RETURNS text
  IMMUTABLE PARALLEL SAFE LANGUAGE sql AS $$
  SELECT CASE WHEN v IS NULL THEN NULL WHEN position('@' IN v) > 1
              THEN left(v, 1) || '***' || substring(v FROM position('@' IN v)) ELSE gongshu_mask_keep(v, 1, 0) END $$;

CREATE FUNCTION gongshu_hash(v text, salt text, algorithm text) RETURNS text
  IMMUTABLE PARALLEL SAFE LANGUAGE sql AS $$
  SELECT CASE WHEN v IS NULL THEN NULL ELSE encode(digest(salt || v, algorithm), 'hex') END $$;
