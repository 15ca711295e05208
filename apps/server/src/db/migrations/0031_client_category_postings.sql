CREATE TABLE "client_category_postings" (
	"client_id" uuid NOT NULL,
	"category" text NOT NULL,
	"risk_level" text NOT NULL,
	"unit_path" "ltree" NOT NULL,
	"status" text NOT NULL,
	"until" date,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "client_category_postings_scope_idx" ON "client_category_postings" USING btree ("category","risk_level","unit_path","updated_at","client_id","status","until");--> statement-breakpoint
CREATE INDEX "client_category_postings_order_idx" ON "client_category_postings" USING btree ("category","updated_at","client_id","risk_level","unit_path","status","until");--> statement-breakpoint
-- Kept in step with clients: new clients in one INSERT … SELECT per statement (an import of 10⁵ rows), a changed
-- client row by row and only when a copied column changed (the cadence job rewrites next_visit_due of every
-- client and must not touch the postings). A client's postings are found by the leading columns of the scope
-- index (the client's old codes, risk level, path and updated_at): no third index to write on every import.
CREATE OR REPLACE FUNCTION client_category_postings_inserted() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  BEGIN
    INSERT INTO client_category_postings (client_id, category, risk_level, unit_path, status, until, updated_at)
      SELECT n.id, k, n.risk_level, n.unit_path, n.status, n.category_codes_until, n.updated_at
      FROM new_rows n, LATERAL (SELECT DISTINCT unnest(n.category_codes)) AS x(k);
    RETURN NULL;
  END
  $$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION client_category_postings_changed() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  BEGIN
    DELETE FROM client_category_postings
      WHERE category = ANY (OLD.category_codes) AND risk_level = OLD.risk_level AND unit_path = OLD.unit_path
        AND updated_at = OLD.updated_at AND client_id = OLD.id;
    IF TG_OP = 'UPDATE' THEN
      INSERT INTO client_category_postings (client_id, category, risk_level, unit_path, status, until, updated_at)
        SELECT DISTINCT NEW.id, k, NEW.risk_level, NEW.unit_path, NEW.status, NEW.category_codes_until, NEW.updated_at
        FROM unnest(NEW.category_codes) k;
    END IF;
    RETURN NULL;
  END
  $$;--> statement-breakpoint
CREATE TRIGGER clients_insert_category_postings AFTER INSERT ON clients
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION client_category_postings_inserted();--> statement-breakpoint
CREATE TRIGGER clients_update_category_postings AFTER UPDATE ON clients FOR EACH ROW
  WHEN ((OLD.category_codes, OLD.risk_level, OLD.unit_path, OLD.status, OLD.category_codes_until, OLD.updated_at)
        IS DISTINCT FROM (NEW.category_codes, NEW.risk_level, NEW.unit_path, NEW.status, NEW.category_codes_until, NEW.updated_at))
  EXECUTE FUNCTION client_category_postings_changed();--> statement-breakpoint
CREATE TRIGGER clients_delete_category_postings AFTER DELETE ON clients FOR EACH ROW
  EXECUTE FUNCTION client_category_postings_changed();--> statement-breakpoint
INSERT INTO client_category_postings (client_id, category, risk_level, unit_path, status, until, updated_at)
  SELECT c.id, k, c.risk_level, c.unit_path, c.status, c.category_codes_until, c.updated_at
  FROM clients c, LATERAL (SELECT DISTINCT unnest(c.category_codes)) AS x(k);
