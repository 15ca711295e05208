CREATE TABLE "activities" (
	"id" uuid PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"place" text NOT NULL,
	"unit_id" uuid NOT NULL,
	"unit_path" "ltree" NOT NULL,
	"capacity" integer NOT NULL,
	"skills" text[] DEFAULT '{}'::text[] NOT NULL,
	"partners" text[] DEFAULT '{}'::text[] NOT NULL,
	"team_id" uuid,
	"leader_id" uuid,
	"status" text DEFAULT 'published' NOT NULL,
	"residents_served" integer DEFAULT 0 NOT NULL,
	"checkin_token" text NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "activities_status_check" CHECK ("activities"."status" in ('published', 'cancelled', 'closed')),
	CONSTRAINT "activities_capacity_check" CHECK ("activities"."capacity" > 0),
	CONSTRAINT "activities_time_check" CHECK ("activities"."ends_at" > "activities"."starts_at"),
	CONSTRAINT "activities_residents_served_check" CHECK ("activities"."residents_served" >= 0)
);
--> statement-breakpoint
CREATE TABLE "activity_signups" (
	"id" uuid PRIMARY KEY NOT NULL,
	"activity_id" uuid NOT NULL,
	"volunteer_id" uuid NOT NULL,
	"unit_path" "ltree" NOT NULL,
	"status" text NOT NULL,
	"queued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"check_in_at" timestamp with time zone,
	"check_in_by" uuid,
	"check_out_at" timestamp with time zone,
	"check_out_by" uuid,
	"hours" integer,
	"adjust_reason" text,
	"confirmed_at" timestamp with time zone,
	"confirmed_by" uuid,
	"posting_id" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "activity_signups_status_check" CHECK ("activity_signups"."status" in ('signed_up', 'waitlisted', 'cancelled')),
	CONSTRAINT "activity_signups_hours_check" CHECK ("activity_signups"."hours" is null or "activity_signups"."hours" >= 0),
	CONSTRAINT "activity_signups_checkout_check" CHECK ("activity_signups"."check_out_at" is null or ("activity_signups"."check_in_at" is not null and "activity_signups"."check_out_at" >= "activity_signups"."check_in_at"))
);
--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_team_id_volunteer_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."volunteer_teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_leader_id_volunteers_id_fk" FOREIGN KEY ("leader_id") REFERENCES "public"."volunteers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_signups" ADD CONSTRAINT "activity_signups_activity_id_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."activities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_signups" ADD CONSTRAINT "activity_signups_volunteer_id_volunteers_id_fk" FOREIGN KEY ("volunteer_id") REFERENCES "public"."volunteers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_signups" ADD CONSTRAINT "activity_signups_posting_id_timebank_postings_id_fk" FOREIGN KEY ("posting_id") REFERENCES "public"."timebank_postings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "activities_unit_path_idx" ON "activities" USING gist ("unit_path");--> statement-breakpoint
CREATE INDEX "activities_starts_at_id_idx" ON "activities" USING btree ("starts_at","id");--> statement-breakpoint
CREATE INDEX "activities_leader_id_idx" ON "activities" USING btree ("leader_id");--> statement-breakpoint
CREATE UNIQUE INDEX "activity_signups_activity_id_volunteer_id_idx" ON "activity_signups" USING btree ("activity_id","volunteer_id");--> statement-breakpoint
CREATE INDEX "activity_signups_volunteer_id_idx" ON "activity_signups" USING btree ("volunteer_id");--> statement-breakpoint
CREATE INDEX "activity_signups_activity_id_queued_at_idx" ON "activity_signups" USING btree ("activity_id","queued_at");--> statement-breakpoint
CREATE INDEX "activity_signups_unit_path_idx" ON "activity_signups" USING gist ("unit_path");