-- The audit list finds an actor's entries by id (audit_ledger_actor_idx), and by the recorded name
-- only among entries without an actor id: failed sign-ins under an unknown username, the system.
-- Those are few, so this index costs nothing on the reads' entries, which all carry an id.
CREATE INDEX audit_ledger_unidentified_idx ON audit_ledger (actor_name, seq) WHERE actor_id IS NULL;
