-- Personal-data detection (C6): proposed sensitivity and masking per field, found in sampled
-- values, until the provider accepts or changes them.
CREATE TABLE classification_proposals (
  resource_id            uuid NOT NULL,
  field                  text NOT NULL,
  detected_kind          text NOT NULL CHECK (detected_kind IN ('id_card', 'mobile', 'name', 'address', 'bank_card', 'plate', 'uscc', 'email')),
  share                  numeric(5,4) NOT NULL,
  sampled                int NOT NULL,
  proposed_sensitivity   text NOT NULL,
  proposed_masking       text NOT NULL,
  status                 text NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'accepted', 'changed')),
  decided_sensitivity    text,
  decided_masking        text,
  decided_by             uuid,
  decided_at             timestamptz,
  source                 text NOT NULL CHECK (source IN ('batch', 'registration')),
  created_at             timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (resource_id, field)
);
