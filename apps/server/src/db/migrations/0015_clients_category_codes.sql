-- Client search on 10⁶ clients (bench/README.md, clients-search): the client's category codes on the client
-- row (a category filter was a semi-join against every row of the category), covering indexes for pinyin
-- prefixes and for the overdue list and count.
ALTER TABLE "clients" ADD COLUMN "category_codes" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "clients" ADD COLUMN "category_codes_until" date;--> statement-breakpoint
-- clients.category_codes: the sorted codes of the client's categories with an open period or one that ended at
-- most 2 days before the last change of the client's categories (slack for sessions whose current_date
-- differs); category_codes_until: the earliest end date among them. A superset of the active codes, exact
-- while category_codes_until is null or not past (findClients re-checks client_categories otherwise).
CREATE OR REPLACE FUNCTION clients_refresh_category_codes(ids uuid[]) RETURNS void
  LANGUAGE sql VOLATILE
  AS $$
    update clients c set category_codes = coalesce(x.codes, '{}'::text[]), category_codes_until = x.until
    from unnest(ids) as a(id)
    left join lateral (
      select array_agg(g.code order by g.code) as codes, min(g.ends) as until
      from (select cc.category as code, case when bool_or(cc.end_date is null) then null else max(cc.end_date) end as ends
            from client_categories cc where cc.client_id = a.id group by cc.category) g
      where g.ends is null or g.ends >= current_date - 2
    ) x on true
    where c.id = a.id
      and (c.category_codes is distinct from coalesce(x.codes, '{}'::text[]) or c.category_codes_until is distinct from x.until)
  $$;--> statement-breakpoint
-- Statement-level, with transition tables: an import of 10⁵ categories refreshes its clients in one UPDATE per
-- statement, and a client whose codes did not change (the import writes them with the client) is not written.
CREATE OR REPLACE FUNCTION client_categories_changed() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  BEGIN
    IF TG_OP = 'INSERT' THEN
      PERFORM clients_refresh_category_codes(array(select distinct client_id from new_rows));
    ELSIF TG_OP = 'UPDATE' THEN
      PERFORM clients_refresh_category_codes(array(select client_id from new_rows union select client_id from old_rows));
    ELSE
      PERFORM clients_refresh_category_codes(array(select distinct client_id from old_rows));
    END IF;
    RETURN NULL;
  END
  $$;--> statement-breakpoint
CREATE TRIGGER client_categories_insert_codes AFTER INSERT ON client_categories
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION client_categories_changed();--> statement-breakpoint
CREATE TRIGGER client_categories_update_codes AFTER UPDATE ON client_categories
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION client_categories_changed();--> statement-breakpoint
CREATE TRIGGER client_categories_delete_codes AFTER DELETE ON client_categories
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION client_categories_changed();--> statement-breakpoint
SELECT clients_refresh_category_codes(array(select distinct client_id from client_categories));--> statement-breakpoint
-- The GIN keys of a category filter: each code alone and each code with the client's risk level (dibao@high),
-- so that a common category with a rare risk level is one short posting list.
CREATE OR REPLACE FUNCTION clients_category_keys(codes text[], risk text) RETURNS text[]
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ select codes || array(select x || '@' || risk from unnest(codes) x) $$;--> statement-breakpoint
CREATE INDEX "clients_category_keys_idx" ON "clients" USING gin (clients_category_keys("category_codes", "risk_level"));--> statement-breakpoint
CREATE INDEX "clients_active_updated_at_idx" ON "clients" USING btree ("updated_at","id","unit_path","next_visit_due") WHERE status = 'active';--> statement-breakpoint
CREATE INDEX "clients_active_unit_path_due_idx" ON "clients" USING btree ("unit_path","next_visit_due") WHERE status = 'active';--> statement-breakpoint
DROP INDEX "clients_name_initials_idx";--> statement-breakpoint
DROP INDEX "clients_name_pinyin_idx";--> statement-breakpoint
CREATE INDEX "clients_name_initials_idx" ON "clients" USING btree ("name_initials" text_pattern_ops,"updated_at","id","unit_path");--> statement-breakpoint
CREATE INDEX "clients_name_pinyin_idx" ON "clients" USING btree ("name_pinyin" text_pattern_ops,"updated_at","id","unit_path");
