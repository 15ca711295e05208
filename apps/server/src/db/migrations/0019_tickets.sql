CREATE TABLE "duty_shifts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"hotline_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"unit_path" "ltree" NOT NULL,
	"user_id" uuid NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"calls" integer DEFAULT 0 NOT NULL,
	"people_served" integer DEFAULT 0 NOT NULL,
	"notes" text,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "duty_shifts_time_check" CHECK ("duty_shifts"."ends_at" > "duty_shifts"."starts_at"),
	CONSTRAINT "duty_shifts_counts_check" CHECK ("duty_shifts"."calls" >= 0 and "duty_shifts"."people_served" >= 0)
);
--> statement-breakpoint
CREATE TABLE "hotlines" (
	"id" uuid PRIMARY KEY NOT NULL,
	"unit_id" uuid NOT NULL,
	"unit_path" "ltree" NOT NULL,
	"number" text NOT NULL,
	"name" text NOT NULL,
	"hours" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ticket_events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"ticket_id" uuid NOT NULL,
	"unit_path" "ltree" NOT NULL,
	"kind" text NOT NULL,
	"from_status" text,
	"to_status" text,
	"note" text,
	"user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ticket_settings" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"deadlines" jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ticket_settings_single_row_check" CHECK ("ticket_settings"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "tickets" (
	"id" uuid PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"unit_id" uuid NOT NULL,
	"unit_path" "ltree" NOT NULL,
	"channel" text NOT NULL,
	"category" text NOT NULL,
	"urgency" text NOT NULL,
	"status" text DEFAULT 'new' NOT NULL,
	"summary" text NOT NULL,
	"region_code" text,
	"address" text,
	"caller_name" text,
	"caller_phone_enc" text,
	"caller_phone_index" text,
	"caller_phone_masked" text,
	"client_id" uuid,
	"hotline_id" uuid,
	"assigned_user_id" uuid,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"respond_due_at" timestamp with time zone NOT NULL,
	"solve_due_at" timestamp with time zone NOT NULL,
	"accepted_at" timestamp with time zone,
	"assigned_at" timestamp with time zone,
	"solved_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"solution" text,
	"callback_result" text,
	"satisfaction" smallint,
	"feedback" text,
	"cancel_reason" text,
	"escalated_to_unit_id" uuid,
	"escalated_at" timestamp with time zone,
	"escalation_reason" text,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tickets_status_check" CHECK ("tickets"."status" in ('new', 'accepted', 'assigned', 'in_progress', 'solved', 'closed', 'cancelled')),
	CONSTRAINT "tickets_channel_check" CHECK ("tickets"."channel" in ('hotline', 'walk_in', 'residents_committee', 'grid_worker', 'online_form', 'volunteer')),
	CONSTRAINT "tickets_category_check" CHECK ("tickets"."category" in ('grain', 'oil', 'vegetables', 'medicine', 'urgent_medical', 'policy', 'counselling', 'emotional', 'other')),
	CONSTRAINT "tickets_urgency_check" CHECK ("tickets"."urgency" in ('urgent', 'normal', 'low')),
	CONSTRAINT "tickets_satisfaction_check" CHECK ("tickets"."satisfaction" between 1 and 5),
	CONSTRAINT "tickets_callback_result_check" CHECK ("tickets"."callback_result" in ('reached', 'unreachable', 'declined'))
);
--> statement-breakpoint
CREATE INDEX "duty_shifts_unit_path_idx" ON "duty_shifts" USING gist ("unit_path");--> statement-breakpoint
CREATE INDEX "duty_shifts_hotline_id_starts_at_idx" ON "duty_shifts" USING btree ("hotline_id","starts_at");--> statement-breakpoint
CREATE INDEX "duty_shifts_unit_id_starts_at_idx" ON "duty_shifts" USING btree ("unit_id","starts_at");--> statement-breakpoint
CREATE INDEX "hotlines_unit_path_idx" ON "hotlines" USING gist ("unit_path");--> statement-breakpoint
CREATE UNIQUE INDEX "hotlines_unit_id_number_idx" ON "hotlines" USING btree ("unit_id","number");--> statement-breakpoint
CREATE INDEX "ticket_events_ticket_id_created_at_idx" ON "ticket_events" USING btree ("ticket_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "tickets_code_idx" ON "tickets" USING btree ("code");--> statement-breakpoint
CREATE INDEX "tickets_unit_path_idx" ON "tickets" USING gist ("unit_path");--> statement-breakpoint
CREATE INDEX "tickets_unit_id_received_at_idx" ON "tickets" USING btree ("unit_id","received_at");--> statement-breakpoint
CREATE INDEX "tickets_received_at_idx" ON "tickets" USING btree ("received_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "tickets_open_due_idx" ON "tickets" USING btree ("solve_due_at") WHERE status in ('new', 'accepted', 'assigned', 'in_progress');--> statement-breakpoint
CREATE INDEX "tickets_client_id_idx" ON "tickets" USING btree ("client_id");--> statement-breakpoint
CREATE INDEX "tickets_assigned_user_id_idx" ON "tickets" USING btree ("assigned_user_id");--> statement-breakpoint
CREATE INDEX "tickets_escalated_to_unit_id_idx" ON "tickets" USING btree ("escalated_to_unit_id");