CREATE TABLE "case_events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"case_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"action" text,
	"from_stage" text,
	"to_stage" text,
	"body" text,
	"author_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "case_events_kind_check" CHECK ("case_events"."kind" in ('comment', 'transition', 'transfer'))
);
--> statement-breakpoint
CREATE TABLE "case_group_attendance" (
	"session_id" uuid NOT NULL,
	"client_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "case_group_attendance_session_id_client_id_pk" PRIMARY KEY("session_id","client_id")
);
--> statement-breakpoint
CREATE TABLE "case_group_sessions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"group_id" uuid NOT NULL,
	"session_date" date NOT NULL,
	"topic" text NOT NULL,
	"duration_minutes" integer,
	"notes" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "case_groups" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"goals" text,
	"unit_id" uuid NOT NULL,
	"unit_path" "ltree" NOT NULL,
	"owner_id" uuid NOT NULL,
	"starts_on" date,
	"ends_on" date,
	"closed" boolean DEFAULT false NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "case_groups_kind_check" CHECK ("case_groups"."kind" in ('group', 'activity'))
);
--> statement-breakpoint
CREATE TABLE "case_services" (
	"id" uuid PRIMARY KEY NOT NULL,
	"case_id" uuid NOT NULL,
	"service_date" date NOT NULL,
	"kind" text NOT NULL,
	"duration_minutes" integer NOT NULL,
	"worker_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"societies" text[] DEFAULT '{}'::text[] NOT NULL,
	"notes" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "case_services_duration_check" CHECK ("case_services"."duration_minutes" > 0 and "case_services"."duration_minutes" <= 1440)
);
--> statement-breakpoint
CREATE TABLE "case_settings" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"deadlines" jsonb NOT NULL,
	"require_plan_sign_off" boolean DEFAULT true NOT NULL,
	"require_closure_sign_off" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "case_settings_single_row_check" CHECK ("case_settings"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "cases" (
	"id" uuid PRIMARY KEY NOT NULL,
	"client_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"unit_path" "ltree" NOT NULL,
	"owner_id" uuid NOT NULL,
	"title" text NOT NULL,
	"source" text NOT NULL,
	"source_ref" text,
	"stage" text DEFAULT 'intake' NOT NULL,
	"plan_status" text DEFAULT 'none' NOT NULL,
	"closure_status" text DEFAULT 'none' NOT NULL,
	"closure_from_stage" text,
	"closure_reason" text,
	"assessment" jsonb,
	"plan" jsonb,
	"evaluation" jsonb,
	"stage_entered_at" timestamp with time zone DEFAULT now() NOT NULL,
	"due_date" date,
	"reopen_count" integer DEFAULT 0 NOT NULL,
	"opened_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cases_stage_check" CHECK ("cases"."stage" in ('intake', 'assessment', 'plan', 'intervention', 'evaluation', 'closure', 'closed')),
	CONSTRAINT "cases_source_check" CHECK ("cases"."source" in ('visit', 'ticket', 'referral', 'walk_in')),
	CONSTRAINT "cases_plan_status_check" CHECK ("cases"."plan_status" in ('none', 'pending', 'approved', 'returned')),
	CONSTRAINT "cases_closure_status_check" CHECK ("cases"."closure_status" in ('none', 'pending', 'approved', 'returned'))
);
--> statement-breakpoint
ALTER TABLE "case_events" ADD CONSTRAINT "case_events_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_group_attendance" ADD CONSTRAINT "case_group_attendance_session_id_case_group_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."case_group_sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_group_sessions" ADD CONSTRAINT "case_group_sessions_group_id_case_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."case_groups"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_services" ADD CONSTRAINT "case_services_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "case_events_case_id_idx" ON "case_events" USING btree ("case_id","created_at");--> statement-breakpoint
CREATE INDEX "case_group_attendance_client_id_idx" ON "case_group_attendance" USING btree ("client_id");--> statement-breakpoint
CREATE INDEX "case_group_sessions_group_id_idx" ON "case_group_sessions" USING btree ("group_id","session_date");--> statement-breakpoint
CREATE INDEX "case_groups_unit_path_idx" ON "case_groups" USING gist ("unit_path");--> statement-breakpoint
CREATE INDEX "case_services_case_id_idx" ON "case_services" USING btree ("case_id","service_date");--> statement-breakpoint
CREATE INDEX "cases_unit_path_idx" ON "cases" USING gist ("unit_path");--> statement-breakpoint
CREATE INDEX "cases_client_id_idx" ON "cases" USING btree ("client_id");--> statement-breakpoint
CREATE INDEX "cases_owner_id_idx" ON "cases" USING btree ("owner_id","due_date");--> statement-breakpoint
CREATE INDEX "cases_due_date_idx" ON "cases" USING btree ("due_date") WHERE stage <> 'closed';--> statement-breakpoint
CREATE INDEX "cases_updated_at_idx" ON "cases" USING btree ("updated_at" DESC NULLS LAST,"id" DESC NULLS LAST);