CREATE TABLE "problem_reports" (
	"id" uuid PRIMARY KEY NOT NULL,
	"reporter_user_id" uuid NOT NULL,
	"volunteer_id" uuid,
	"unit_id" uuid NOT NULL,
	"unit_path" "ltree" NOT NULL,
	"region_code" text,
	"place" text NOT NULL,
	"latitude" double precision,
	"longitude" double precision,
	"category" text NOT NULL,
	"description" text NOT NULL,
	"photo_type" text,
	"photo_bytes" integer,
	"ticket_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "problem_reports_photo_check" CHECK (("problem_reports"."photo_type" is null) = ("problem_reports"."photo_bytes" is null))
);
--> statement-breakpoint
CREATE INDEX "problem_reports_unit_path_idx" ON "problem_reports" USING gist ("unit_path");--> statement-breakpoint
CREATE INDEX "problem_reports_reporter_created_idx" ON "problem_reports" USING btree ("reporter_user_id","created_at");--> statement-breakpoint
CREATE INDEX "problem_reports_created_idx" ON "problem_reports" USING btree ("created_at","id");