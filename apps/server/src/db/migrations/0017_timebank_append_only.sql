-- The time bank's postings and entries are append-only: no UPDATE, no DELETE, no TRUNCATE. A mistake is
-- undone by a correction posting, never by editing history.
CREATE OR REPLACE FUNCTION timebank_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER timebank_postings_no_update BEFORE UPDATE OR DELETE ON timebank_postings FOR EACH ROW EXECUTE FUNCTION timebank_refuse_change();
--> statement-breakpoint
CREATE TRIGGER timebank_postings_no_truncate BEFORE TRUNCATE ON timebank_postings FOR EACH STATEMENT EXECUTE FUNCTION timebank_refuse_change();
--> statement-breakpoint
CREATE TRIGGER timebank_entries_no_update BEFORE UPDATE OR DELETE ON timebank_entries FOR EACH ROW EXECUTE FUNCTION timebank_refuse_change();
--> statement-breakpoint
CREATE TRIGGER timebank_entries_no_truncate BEFORE TRUNCATE ON timebank_entries FOR EACH STATEMENT EXECUTE FUNCTION timebank_refuse_change();
--> statement-breakpoint
-- Every posting balances: checked at commit, once all of its entries are in.
CREATE OR REPLACE FUNCTION timebank_check_posting_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  total bigint;
BEGIN
  SELECT coalesce(sum(amount), 0) INTO total FROM timebank_entries WHERE posting_id = NEW.posting_id;
  IF total <> 0 THEN
    RAISE EXCEPTION 'time bank posting % does not balance (entries sum to %)', NEW.posting_id, total USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER timebank_entries_balanced AFTER INSERT ON timebank_entries DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION timebank_check_posting_balanced();
