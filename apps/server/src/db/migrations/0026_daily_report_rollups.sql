CREATE TABLE "daily_report_rollups" (
	"node_path" "ltree" NOT NULL,
	"parent_path" "ltree" NOT NULL,
	"day" date NOT NULL,
	"filed" integer DEFAULT 0 NOT NULL,
	"late" integer DEFAULT 0 NOT NULL,
	"people_served" integer DEFAULT 0 NOT NULL,
	"visits" integer DEFAULT 0 NOT NULL,
	"needs_met" integer DEFAULT 0 NOT NULL,
	"tickets_received" integer DEFAULT 0 NOT NULL,
	"shifts" integer DEFAULT 0 NOT NULL,
	"calls" integer DEFAULT 0 NOT NULL,
	"volunteer_hours" numeric(14, 2) DEFAULT '0' NOT NULL,
	"solved_grain" integer DEFAULT 0 NOT NULL,
	"solved_oil" integer DEFAULT 0 NOT NULL,
	"solved_vegetables" integer DEFAULT 0 NOT NULL,
	"solved_medicine" integer DEFAULT 0 NOT NULL,
	"solved_urgent_medical" integer DEFAULT 0 NOT NULL,
	"solved_policy" integer DEFAULT 0 NOT NULL,
	"solved_counselling" integer DEFAULT 0 NOT NULL,
	"solved_emotional" integer DEFAULT 0 NOT NULL,
	"solved_other" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "daily_report_rollups_node_path_day_pk" PRIMARY KEY("node_path","day")
);
--> statement-breakpoint
CREATE INDEX "daily_report_rollups_parent_path_day_idx" ON "daily_report_rollups" USING btree ("parent_path","day");