CREATE TABLE "notifications" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"body" text,
	"entity_type" text,
	"entity_id" text,
	"read_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "visit_cadence_rules" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"key" text NOT NULL,
	"interval_days" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "visits" (
	"id" uuid PRIMARY KEY NOT NULL,
	"client_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"unit_path" "ltree" NOT NULL,
	"visited_at" timestamp with time zone NOT NULL,
	"kind" text NOT NULL,
	"worker_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"partners" text[] DEFAULT '{}'::text[] NOT NULL,
	"findings" text,
	"needs_found" text[] DEFAULT '{}'::text[] NOT NULL,
	"follow_up" text,
	"latitude" numeric(9, 6),
	"longitude" numeric(9, 6),
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "clients" ADD COLUMN "responsible_user_id" uuid;--> statement-breakpoint
ALTER TABLE "clients" ADD COLUMN "last_visit_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "clients" ADD COLUMN "visit_interval_days" integer;--> statement-breakpoint
ALTER TABLE "clients" ADD COLUMN "next_visit_due" date;--> statement-breakpoint
CREATE INDEX "notifications_user_id_created_at_idx" ON "notifications" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "visit_cadence_rules_kind_key_idx" ON "visit_cadence_rules" USING btree ("kind","key");--> statement-breakpoint
CREATE INDEX "visits_client_id_visited_at_idx" ON "visits" USING btree ("client_id","visited_at");--> statement-breakpoint
CREATE INDEX "visits_unit_path_idx" ON "visits" USING gist ("unit_path");--> statement-breakpoint
CREATE INDEX "visits_visited_at_idx" ON "visits" USING btree ("visited_at");--> statement-breakpoint
CREATE INDEX "clients_next_visit_due_idx" ON "clients" USING btree ("next_visit_due");--> statement-breakpoint
CREATE INDEX "clients_responsible_user_id_idx" ON "clients" USING btree ("responsible_user_id");