-- The audit ledger (C11): append-only, hash-chained. audit_head holds the chain's tip and is
-- row-locked by each append, so appends from any number of processes form one chain.
CREATE TABLE audit_ledger (
  seq         bigint PRIMARY KEY,
  at          timestamptz NOT NULL,
  actor_id    uuid,
  actor_name  text,
  actor_kind  text NOT NULL CHECK (actor_kind IN ('user', 'client', 'anonymous', 'system')),
  org_id      uuid,
  action      text NOT NULL,
  target_type text,
  target_id   text,
  outcome     text NOT NULL CHECK (outcome IN ('success', 'failure', 'denied')),
  request_id  text,
  client_ip   text,
  details     jsonb NOT NULL DEFAULT '{}',
  algorithm   text NOT NULL,
  prev_hash   text NOT NULL,
  hash        text NOT NULL
);
CREATE INDEX audit_ledger_at_idx ON audit_ledger (at);
CREATE INDEX audit_ledger_actor_idx ON audit_ledger (actor_id, seq);
CREATE INDEX audit_ledger_org_idx ON audit_ledger (org_id, seq);
CREATE INDEX audit_ledger_action_idx ON audit_ledger (action, seq);

CREATE TABLE audit_head (
  id    boolean PRIMARY KEY DEFAULT true CHECK (id),
  seq   bigint NOT NULL,
  hash  text NOT NULL
);
INSERT INTO audit_head (seq, hash) VALUES (0, repeat('0', 64));

CREATE FUNCTION audit_ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_ledger is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER audit_ledger_append_only
  BEFORE UPDATE OR DELETE ON audit_ledger
  FOR EACH ROW EXECUTE FUNCTION audit_ledger_refuse_change();
CREATE TRIGGER audit_ledger_no_truncate
  BEFORE TRUNCATE ON audit_ledger
  FOR EACH STATEMENT EXECUTE FUNCTION audit_ledger_refuse_change();
