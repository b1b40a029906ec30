-- The resource catalog (目录) of SPEC C3.

-- Subject categories: codes are digits, two per level ('01' 基础信息, '0101' 人口 …).
CREATE TABLE catalog_categories (
  code         text PRIMARY KEY CHECK (code ~ '^([0-9]{2})+$'),
  name         text NOT NULL,
  name_en      text NOT NULL,
  parent_code  text REFERENCES catalog_categories(code),
  sort         int NOT NULL DEFAULT 0
);
INSERT INTO catalog_categories (code, name, name_en, parent_code, sort) VALUES
  ('01', '基础信息资源', 'Base data', NULL, 1),
  ('0101', '人口', 'Population', '01', 1),
  ('0102', '法人', 'Legal entities', '01', 2),
  ('0103', '自然资源和空间地理', 'Natural resources and geography', '01', 3),
  ('0104', '电子证照', 'Electronic licences', '01', 4),
  ('0105', '社会信用', 'Social credit', '01', 5),
  ('02', '主题信息资源', 'Thematic data', NULL, 2),
  ('0201', '社会保障', 'Social security', '02', 1),
  ('0202', '医疗健康', 'Health', '02', 2),
  ('0203', '教育文化', 'Education and culture', '02', 3),
  ('0204', '交通出行', 'Transport', '02', 4),
  ('0205', '市场监管', 'Market regulation', '02', 5),
  ('0206', '公共安全', 'Public safety', '02', 6),
  ('0207', '财政税务', 'Finance and tax', '02', 7),
  ('0208', '城乡建设', 'Urban and rural construction', '02', 8),
  ('03', '部门信息资源', 'Departmental data', NULL, 3);

-- One entry. The row holds the working copy (version `current_version`); `published_version`
-- is the version everyone sees once published, kept while a revision is under way.
CREATE TABLE resources (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code               text NOT NULL,
  provider_org_id    uuid NOT NULL REFERENCES organisations(id),
  status             text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted', 'approved', 'published', 'retired')),
  current_version    int NOT NULL DEFAULT 1,
  published_version  int,
  name               text NOT NULL,
  summary            text NOT NULL,
  category_code      text NOT NULL REFERENCES catalog_categories(code),
  source_system_id   uuid REFERENCES systems(id) ON DELETE SET NULL,
  identifier_kind    text NOT NULL,
  identifier_field   text,
  share_type         text NOT NULL,
  share_conditions   text,
  legal_basis        text,
  open_type          text NOT NULL,
  security_level     text NOT NULL,
  update_frequency   text NOT NULL,
  keywords           text[] NOT NULL DEFAULT '{}',
  fields             jsonb NOT NULL DEFAULT '[]',
  search             tsvector NOT NULL DEFAULT ''::tsvector,
  created_by         uuid,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  published_at       timestamptz,
  CONSTRAINT resources_code_key UNIQUE (code),
  CONSTRAINT resources_provider_name_key UNIQUE (provider_org_id, name)
);
CREATE INDEX resources_provider_idx ON resources (provider_org_id);
CREATE INDEX resources_status_idx ON resources (status);
CREATE INDEX resources_search_idx ON resources USING gin (search);

-- Registered tables an entry is built from; a table linked here counts as catalogued [000 §11].
CREATE TABLE resource_sources (
  resource_id  uuid NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
  table_id     uuid NOT NULL REFERENCES system_tables(id) ON DELETE CASCADE,
  PRIMARY KEY (resource_id, table_id)
);
CREATE INDEX resource_sources_table_idx ON resource_sources (table_id);

-- Every saved change is a version: the whole entry as it stood [004 §10].
CREATE TABLE resource_versions (
  resource_id  uuid NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
  version      int NOT NULL,
  snapshot     jsonb NOT NULL,
  comment      text,
  author_id    uuid,
  author_name  text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (resource_id, version)
);

-- Lifecycle transitions with the comment each one carried.
CREATE TABLE resource_events (
  id           bigserial PRIMARY KEY,
  resource_id  uuid NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
  action       text NOT NULL,
  from_status  text,
  to_status    text NOT NULL,
  version      int NOT NULL,
  comment      text,
  actor_id     uuid,
  actor_name   text,
  actor_org    text,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX resource_events_resource_idx ON resource_events (resource_id, id);

-- The last sequence number used per category and provider, for entry codes.
CREATE TABLE resource_code_sequences (
  category_code    text NOT NULL,
  provider_org_id  uuid NOT NULL,
  last             int NOT NULL,
  PRIMARY KEY (category_code, provider_org_id)
);

ALTER TABLE function_data_items ADD CONSTRAINT function_data_items_resource_fk
  FOREIGN KEY (resource_id) REFERENCES resources(id) ON DELETE SET NULL;
