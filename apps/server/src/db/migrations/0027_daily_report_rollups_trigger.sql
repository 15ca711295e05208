-- 每日一报 roll-up: per node of the network (each ancestor of a report's unit, and the unit itself) and day,
-- the sums of the submitted reports below it. Kept by a trigger on daily_reports, so that a district's or the
-- province's day or month is a read of a few pre-summed rows (bench/daily-reports.bench.ts). Deltas are
-- additive (insert … on conflict do update), applied root first, so concurrent submissions do not deadlock.
CREATE OR REPLACE FUNCTION daily_report_rollup_apply(p ltree, d date, sign integer, r daily_reports) RETURNS void LANGUAGE sql AS $$
  INSERT INTO daily_report_rollups (node_path, parent_path, day, filed, late, people_served, visits, needs_met, tickets_received, shifts, calls, volunteer_hours, solved_grain, solved_oil, solved_vegetables, solved_medicine, solved_urgent_medical, solved_policy, solved_counselling, solved_emotional, solved_other)
  SELECT subpath(p, 0, i), CASE WHEN i = 1 THEN ''::ltree ELSE subpath(p, 0, i - 1) END, d, sign, sign * r.late::int, sign * r.people_served, sign * r.visits, sign * r.needs_met, sign * r.tickets_received, sign * r.shifts, sign * r.calls, sign * r.volunteer_hours, sign * r.solved_grain, sign * r.solved_oil, sign * r.solved_vegetables, sign * r.solved_medicine, sign * r.solved_urgent_medical, sign * r.solved_policy, sign * r.solved_counselling, sign * r.solved_emotional, sign * r.solved_other
  FROM generate_series(1, nlevel(p)) AS i
  ORDER BY i
  ON CONFLICT (node_path, day) DO UPDATE SET
    filed = daily_report_rollups.filed + excluded.filed,
    late = daily_report_rollups.late + excluded.late,
    people_served = daily_report_rollups.people_served + excluded.people_served,
    visits = daily_report_rollups.visits + excluded.visits,
    needs_met = daily_report_rollups.needs_met + excluded.needs_met,
    tickets_received = daily_report_rollups.tickets_received + excluded.tickets_received,
    shifts = daily_report_rollups.shifts + excluded.shifts,
    calls = daily_report_rollups.calls + excluded.calls,
    volunteer_hours = daily_report_rollups.volunteer_hours + excluded.volunteer_hours,
    solved_grain = daily_report_rollups.solved_grain + excluded.solved_grain,
    solved_oil = daily_report_rollups.solved_oil + excluded.solved_oil,
    solved_vegetables = daily_report_rollups.solved_vegetables + excluded.solved_vegetables,
    solved_medicine = daily_report_rollups.solved_medicine + excluded.solved_medicine,
    solved_urgent_medical = daily_report_rollups.solved_urgent_medical + excluded.solved_urgent_medical,
    solved_policy = daily_report_rollups.solved_policy + excluded.solved_policy,
    solved_counselling = daily_report_rollups.solved_counselling + excluded.solved_counselling,
    solved_emotional = daily_report_rollups.solved_emotional + excluded.solved_emotional,
    solved_other = daily_report_rollups.solved_other + excluded.solved_other;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION daily_reports_rollup_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'submitted' THEN
    PERFORM daily_report_rollup_apply(OLD.unit_path, OLD.day, -1, OLD);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status = 'submitted' THEN
    PERFORM daily_report_rollup_apply(NEW.unit_path, NEW.day, 1, NEW);
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION daily_reports_rollup_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM daily_report_rollups;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER daily_reports_rollup AFTER INSERT OR UPDATE OR DELETE ON daily_reports FOR EACH ROW EXECUTE FUNCTION daily_reports_rollup_trigger();
--> statement-breakpoint
CREATE TRIGGER daily_reports_rollup_truncate AFTER TRUNCATE ON daily_reports FOR EACH STATEMENT EXECUTE FUNCTION daily_reports_rollup_truncated();
