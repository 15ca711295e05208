-- The trigger also counts each unit's submitted reports per calendar month (daily_report_unit_months).
CREATE OR REPLACE FUNCTION daily_reports_rollup_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'submitted' THEN
    PERFORM daily_report_rollup_apply(OLD.unit_path, OLD.day, -1, OLD);
    INSERT INTO daily_report_unit_months (unit_id, month, filed) VALUES (OLD.unit_id, date_trunc('month', OLD.day)::date, -1)
      ON CONFLICT (unit_id, month) DO UPDATE SET filed = daily_report_unit_months.filed + excluded.filed;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status = 'submitted' THEN
    PERFORM daily_report_rollup_apply(NEW.unit_path, NEW.day, 1, NEW);
    INSERT INTO daily_report_unit_months (unit_id, month, filed) VALUES (NEW.unit_id, date_trunc('month', NEW.day)::date, 1)
      ON CONFLICT (unit_id, month) DO UPDATE SET filed = daily_report_unit_months.filed + excluded.filed;
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION daily_reports_rollup_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM daily_report_rollups;
  DELETE FROM daily_report_unit_months;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
-- Reports submitted before this migration (none outside development databases): counted once.
INSERT INTO daily_report_unit_months (unit_id, month, filed)
SELECT unit_id, date_trunc('month', day)::date, count(*) FROM daily_reports WHERE status = 'submitted' GROUP BY 1, 2
ON CONFLICT (unit_id, month) DO NOTHING;
