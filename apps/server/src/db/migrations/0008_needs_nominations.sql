CREATE TABLE "needs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"client_id" uuid NOT NULL,
	"unit_path" "ltree" NOT NULL,
	"need_type" text NOT NULL,
	"severity" text NOT NULL,
	"description" text,
	"status" text DEFAULT 'open' NOT NULL,
	"status_reason" text,
	"visit_id" uuid,
	"assessed_by" uuid,
	"assessed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "nominations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"unit_path" "ltree" NOT NULL,
	"reported_by" uuid,
	"name" text NOT NULL,
	"id_number_enc" text,
	"id_number_masked" text,
	"phone_enc" text,
	"phone_masked" text,
	"address" text,
	"region_code" text NOT NULL,
	"situation" text NOT NULL,
	"suggested_categories" text[] DEFAULT '{}'::text[] NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"decision_reason" text,
	"client_id" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "needs_client_id_idx" ON "needs" USING btree ("client_id");--> statement-breakpoint
CREATE INDEX "needs_unit_path_idx" ON "needs" USING gist ("unit_path");--> statement-breakpoint
CREATE INDEX "needs_status_idx" ON "needs" USING btree ("status");--> statement-breakpoint
CREATE INDEX "nominations_unit_path_idx" ON "nominations" USING gist ("unit_path");--> statement-breakpoint
CREATE INDEX "nominations_status_idx" ON "nominations" USING btree ("status");