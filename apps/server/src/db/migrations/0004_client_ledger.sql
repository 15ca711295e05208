CREATE TABLE "client_categories" (
	"id" uuid PRIMARY KEY NOT NULL,
	"client_id" uuid NOT NULL,
	"category" text NOT NULL,
	"subtype" text,
	"start_date" date NOT NULL,
	"end_date" date,
	"source" text,
	"unit_path" "ltree" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "client_flags" (
	"id" uuid PRIMARY KEY NOT NULL,
	"client_id" uuid NOT NULL,
	"flag" text NOT NULL,
	"reason" text NOT NULL,
	"set_by" uuid,
	"set_at" timestamp with time zone DEFAULT now() NOT NULL,
	"cleared_by" uuid,
	"cleared_at" timestamp with time zone,
	"clear_reason" text,
	"unit_path" "ltree" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "clients" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"name_pinyin" text NOT NULL,
	"name_initials" text NOT NULL,
	"id_number_enc" text,
	"id_number_index" text,
	"id_tail_index" text,
	"id_number_masked" text,
	"sex" text,
	"birth_date" date,
	"ethnicity" text,
	"phone_enc" text,
	"phone_index" text,
	"phone_tail_index" text,
	"phone_masked" text,
	"address" text,
	"household_id" uuid,
	"household_relation" text,
	"contacts_enc" text,
	"region_code" text NOT NULL,
	"unit_id" uuid NOT NULL,
	"unit_path" "ltree" NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"status_date" date,
	"status_reason" text,
	"risk_level" text DEFAULT 'general' NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "households" (
	"id" uuid PRIMARY KEY NOT NULL,
	"address" text,
	"unit_path" "ltree" NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "client_categories_client_id_idx" ON "client_categories" USING btree ("client_id");--> statement-breakpoint
CREATE INDEX "client_categories_category_idx" ON "client_categories" USING btree ("category");--> statement-breakpoint
CREATE INDEX "client_flags_client_id_idx" ON "client_flags" USING btree ("client_id");--> statement-breakpoint
CREATE UNIQUE INDEX "clients_id_number_index_idx" ON "clients" USING btree ("id_number_index");--> statement-breakpoint
CREATE INDEX "clients_unit_path_idx" ON "clients" USING gist ("unit_path");--> statement-breakpoint
CREATE INDEX "clients_id_tail_index_idx" ON "clients" USING btree ("id_tail_index");--> statement-breakpoint
CREATE INDEX "clients_phone_index_idx" ON "clients" USING btree ("phone_index");--> statement-breakpoint
CREATE INDEX "clients_phone_tail_index_idx" ON "clients" USING btree ("phone_tail_index");--> statement-breakpoint
CREATE INDEX "clients_name_initials_idx" ON "clients" USING btree ("name_initials" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "clients_name_pinyin_idx" ON "clients" USING btree ("name_pinyin" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "clients_name_idx" ON "clients" USING gin ("name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "clients_address_idx" ON "clients" USING gin ("address" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "clients_household_id_idx" ON "clients" USING btree ("household_id");--> statement-breakpoint
CREATE INDEX "clients_name_birth_date_idx" ON "clients" USING btree ("name","birth_date");--> statement-breakpoint
CREATE INDEX "households_unit_path_idx" ON "households" USING gist ("unit_path");