CREATE TABLE "daily_report_settings" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"unit_kinds" text[] DEFAULT '{station}'::text[] NOT NULL,
	"reminder_time" text DEFAULT '17:00' NOT NULL,
	"reminders_enabled" boolean DEFAULT true NOT NULL,
	"last_reminder_day" date,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "daily_report_settings_single_row_check" CHECK ("daily_report_settings"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "daily_reports" (
	"id" uuid PRIMARY KEY NOT NULL,
	"unit_id" uuid NOT NULL,
	"unit_path" "ltree" NOT NULL,
	"day" date NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"late" boolean DEFAULT false NOT NULL,
	"people_served" integer DEFAULT 0 NOT NULL,
	"visits" integer DEFAULT 0 NOT NULL,
	"needs_met" integer DEFAULT 0 NOT NULL,
	"tickets_received" integer DEFAULT 0 NOT NULL,
	"shifts" integer DEFAULT 0 NOT NULL,
	"calls" integer DEFAULT 0 NOT NULL,
	"volunteer_hours" numeric(10, 2) DEFAULT '0' NOT NULL,
	"solved_grain" integer DEFAULT 0 NOT NULL,
	"solved_oil" integer DEFAULT 0 NOT NULL,
	"solved_vegetables" integer DEFAULT 0 NOT NULL,
	"solved_medicine" integer DEFAULT 0 NOT NULL,
	"solved_urgent_medical" integer DEFAULT 0 NOT NULL,
	"solved_policy" integer DEFAULT 0 NOT NULL,
	"solved_counselling" integer DEFAULT 0 NOT NULL,
	"solved_emotional" integer DEFAULT 0 NOT NULL,
	"solved_other" integer DEFAULT 0 NOT NULL,
	"highlights" text,
	"prefill" jsonb,
	"return_reason" text,
	"submitted_at" timestamp with time zone,
	"submitted_by" uuid,
	"returned_at" timestamp with time zone,
	"returned_by" uuid,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "daily_reports_status_check" CHECK ("daily_reports"."status" in ('draft', 'submitted', 'returned')),
	CONSTRAINT "daily_reports_figures_check" CHECK (least("daily_reports"."people_served", "daily_reports"."visits", "daily_reports"."needs_met", "daily_reports"."tickets_received", "daily_reports"."shifts", "daily_reports"."calls", "daily_reports"."solved_grain", "daily_reports"."solved_oil",
        "daily_reports"."solved_vegetables", "daily_reports"."solved_medicine", "daily_reports"."solved_urgent_medical", "daily_reports"."solved_policy", "daily_reports"."solved_counselling",
        "daily_reports"."solved_emotional", "daily_reports"."solved_other") >= 0 and "daily_reports"."volunteer_hours" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX "daily_reports_unit_id_day_idx" ON "daily_reports" USING btree ("unit_id","day");--> statement-breakpoint
CREATE INDEX "daily_reports_unit_path_idx" ON "daily_reports" USING gist ("unit_path");--> statement-breakpoint
CREATE INDEX "daily_reports_day_idx" ON "daily_reports" USING btree ("day");