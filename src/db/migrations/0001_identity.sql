CREATE EXTENSION IF NOT EXISTS pgcrypto;

CREATE TABLE organisations (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name        text NOT NULL,
  code        char(18) NOT NULL,
  type        text NOT NULL CHECK (type IN ('authority', 'department', 'public_enterprise', 'operator', 'external')),
  parent_id   uuid REFERENCES organisations(id),
  level       text,
  short_code  text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT organisations_code_key UNIQUE (code),
  CONSTRAINT organisations_short_code_key UNIQUE (short_code)
);
CREATE INDEX organisations_parent_idx ON organisations (parent_id);

CREATE TABLE users (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id         uuid NOT NULL REFERENCES organisations(id),
  username       text NOT NULL,
  display_name   text NOT NULL,
  email          text,
  phone          text,
  roles          text[] NOT NULL DEFAULT '{}',
  password_hash  text NOT NULL,
  enabled        boolean NOT NULL DEFAULT true,
  failed_logins  int NOT NULL DEFAULT 0,
  locked_until   timestamptz,
  last_login_at  timestamptz,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT users_username_key UNIQUE (username)
);
CREATE INDEX users_org_idx ON users (org_id);

CREATE TABLE sessions (
  token_hash   bytea PRIMARY KEY,
  user_id      uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  client_ip    text,
  user_agent   text
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expiry_idx ON sessions (expires_at);

CREATE TABLE api_clients (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id       uuid NOT NULL REFERENCES organisations(id),
  name         text NOT NULL,
  roles        text[] NOT NULL,
  key_prefix   text NOT NULL,
  key_hash     bytea NOT NULL,
  created_by   uuid REFERENCES users(id),
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz,
  revoked_at   timestamptz,
  last_used_at timestamptz,
  CONSTRAINT api_clients_key_prefix_key UNIQUE (key_prefix)
);
CREATE INDEX api_clients_org_idx ON api_clients (org_id);

-- Fixed-window counters for rate limits, shared by every instance.
CREATE UNLOGGED TABLE rate_limits (
  key         text PRIMARY KEY,
  window_end  timestamptz NOT NULL,
  hits        int NOT NULL
);
