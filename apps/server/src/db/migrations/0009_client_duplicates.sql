CREATE TABLE "client_duplicates" (
	"id" uuid PRIMARY KEY NOT NULL,
	"client_a" uuid NOT NULL,
	"client_b" uuid NOT NULL,
	"unit_path" "ltree" NOT NULL,
	"reason" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"kept_id" uuid,
	"merged_id" uuid,
	"moved" jsonb,
	"resolved_by" uuid,
	"resolved_at" timestamp with time zone,
	"resolve_reason" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "clients" ADD COLUMN "merged_into" uuid;--> statement-breakpoint
CREATE UNIQUE INDEX "client_duplicates_client_a_client_b_idx" ON "client_duplicates" USING btree ("client_a","client_b");--> statement-breakpoint
CREATE INDEX "client_duplicates_unit_path_idx" ON "client_duplicates" USING gist ("unit_path");--> statement-breakpoint
CREATE INDEX "client_duplicates_status_idx" ON "client_duplicates" USING btree ("status");