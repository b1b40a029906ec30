-- Registration (一本底帐) [004 §8], [000 §11], [003 §10]: a body's information systems, their
-- tables (with columns), unstructured and purchased data sets, and its function data list.

CREATE TABLE systems (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id              uuid NOT NULL REFERENCES organisations(id),
  name                text NOT NULL,
  description         text,
  owner               text NOT NULL,
  construction_stage  text NOT NULL CHECK (construction_stage IN ('planning', 'building', 'trial', 'online', 'retired')),
  accepted            boolean NOT NULL DEFAULT false,
  accepted_at         timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT systems_org_name_key UNIQUE (org_id, name)
);
CREATE INDEX systems_org_idx ON systems (org_id);

-- One registered table of a system's database; columns as a JSON array of
-- {name, type, length, nullable, primaryKey, comment}.
CREATE TABLE system_tables (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  system_id          uuid NOT NULL REFERENCES systems(id) ON DELETE CASCADE,
  database_name      text NOT NULL DEFAULT '',
  name               text NOT NULL,
  comment            text,
  columns            jsonb NOT NULL DEFAULT '[]',
  source             text NOT NULL DEFAULT 'manual' CHECK (source IN ('manual', 'xlsx', 'postgresql', 'mysql')),
  -- Legal basis for keeping this table out of the pool [000 §11]; null when it is to be pooled.
  exemption_basis    text,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT system_tables_name_key UNIQUE (system_id, database_name, name)
);

-- Unstructured data sets and purchased (or exchanged, crawled) data [004 §8], [000 §13,14].
CREATE TABLE registered_datasets (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id        uuid NOT NULL REFERENCES organisations(id),
  system_id     uuid REFERENCES systems(id) ON DELETE SET NULL,
  kind          text NOT NULL CHECK (kind IN ('unstructured', 'purchased', 'exchanged', 'crawled')),
  name          text NOT NULL,
  description   text,
  format        text,
  volume        text,
  supplier      text,
  contract_no   text,
  valid_until   date,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT registered_datasets_name_key UNIQUE (org_id, kind, name)
);
CREATE INDEX registered_datasets_system_idx ON registered_datasets (system_id);

-- 职能数据清单 [003 §10]: each duty of a body and the data it produces, linked later to catalog entries.
CREATE TABLE function_data_items (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id        uuid NOT NULL REFERENCES organisations(id),
  duty          text NOT NULL,
  duty_basis    text,
  data_name     text NOT NULL,
  description   text,
  resource_id   uuid,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT function_data_items_key UNIQUE (org_id, duty, data_name)
);
