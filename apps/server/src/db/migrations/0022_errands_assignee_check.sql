CREATE TABLE "volunteer_settings" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"star_hours" integer[] DEFAULT '{100,300,600,1000,1500}'::integer[] NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "volunteer_settings_single_row_check" CHECK ("volunteer_settings"."id" = 1)
);
--> statement-breakpoint
ALTER TABLE "errands" DROP CONSTRAINT "errands_assignee_check";--> statement-breakpoint
ALTER TABLE "errands" ADD CONSTRAINT "errands_assignee_check" CHECK ("errands"."status" in ('cancelled', 'expired') or ("errands"."status" = 'open') = ("errands"."assignee_user_id" is null));