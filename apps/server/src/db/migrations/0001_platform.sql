CREATE TABLE "audit_log" (
	"id" uuid PRIMARY KEY NOT NULL,
	"seq" bigint NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_id" uuid,
	"actor_name" text,
	"actor_role" text,
	"actor_unit_id" uuid,
	"ip" text,
	"user_agent" text,
	"action" text NOT NULL,
	"entity_type" text NOT NULL,
	"entity_id" text,
	"unit_path" "ltree",
	"before" jsonb,
	"after" jsonb,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"csrf_token" text NOT NULL,
	"ip" text,
	"user_agent" text,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY NOT NULL,
	"username" text NOT NULL,
	"display_name" text NOT NULL,
	"password_hash" text NOT NULL,
	"role" text NOT NULL,
	"unit_id" uuid,
	"unit_path" "ltree",
	"status" text DEFAULT 'active' NOT NULL,
	"must_change_password" integer DEFAULT 0 NOT NULL,
	"failed_attempts" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone,
	"last_login_at" timestamp with time zone,
	"password_changed_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "operators" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"credit_code" text,
	"contact_name" text,
	"phone" text,
	"owner_path" "ltree" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "units" (
	"id" uuid PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"region_code" text NOT NULL,
	"region_path" "ltree" NOT NULL,
	"parent_id" uuid,
	"path" "ltree" NOT NULL,
	"depth" smallint NOT NULL,
	"status" text NOT NULL,
	"operator_id" uuid,
	"contract_start" date,
	"contract_end" date,
	"functions" text[] DEFAULT '{}'::text[] NOT NULL,
	"posts" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"zone_id" uuid,
	"address" text,
	"phone" text,
	"opening_hours" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "zones" (
	"id" uuid PRIMARY KEY NOT NULL,
	"station_id" uuid NOT NULL,
	"unit_path" "ltree" NOT NULL,
	"name" text NOT NULL,
	"region_codes" text[] DEFAULT '{}'::text[] NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "regions" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"level" smallint NOT NULL,
	"parent_code" text,
	"path" "ltree" NOT NULL,
	"pinyin" text NOT NULL,
	"initials" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "audit_log_seq_idx" ON "audit_log" USING btree ("seq");--> statement-breakpoint
CREATE INDEX "audit_log_unit_path_idx" ON "audit_log" USING gist ("unit_path");--> statement-breakpoint
CREATE INDEX "audit_log_entity_idx" ON "audit_log" USING btree ("entity_type","entity_id");--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "sessions_user_id_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_username_idx" ON "users" USING btree ("username");--> statement-breakpoint
CREATE INDEX "users_unit_path_idx" ON "users" USING gist ("unit_path");--> statement-breakpoint
CREATE UNIQUE INDEX "operators_credit_code_idx" ON "operators" USING btree ("credit_code");--> statement-breakpoint
CREATE INDEX "operators_owner_path_idx" ON "operators" USING gist ("owner_path");--> statement-breakpoint
CREATE UNIQUE INDEX "units_code_idx" ON "units" USING btree ("code");--> statement-breakpoint
CREATE UNIQUE INDEX "units_path_key_idx" ON "units" USING btree ("path");--> statement-breakpoint
CREATE INDEX "units_path_idx" ON "units" USING gist ("path");--> statement-breakpoint
CREATE INDEX "units_region_path_idx" ON "units" USING gist ("region_path");--> statement-breakpoint
CREATE INDEX "units_parent_id_idx" ON "units" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "units_region_code_idx" ON "units" USING btree ("region_code");--> statement-breakpoint
CREATE UNIQUE INDEX "units_operating_station_region_idx" ON "units" USING btree ("region_code") WHERE kind = 'station' and status = 'operating';--> statement-breakpoint
CREATE INDEX "zones_unit_path_idx" ON "zones" USING gist ("unit_path");--> statement-breakpoint
CREATE UNIQUE INDEX "zones_station_id_name_idx" ON "zones" USING btree ("station_id","name");--> statement-breakpoint
CREATE INDEX "regions_path_idx" ON "regions" USING gist ("path");--> statement-breakpoint
CREATE INDEX "regions_parent_code_idx" ON "regions" USING btree ("parent_code");--> statement-breakpoint
CREATE INDEX "regions_initials_idx" ON "regions" USING btree ("initials" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "regions_pinyin_idx" ON "regions" USING btree ("pinyin" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "regions_name_idx" ON "regions" USING gin ("name" gin_trgm_ops);