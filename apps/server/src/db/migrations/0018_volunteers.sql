CREATE TABLE "volunteer_team_members" (
	"team_id" uuid NOT NULL,
	"volunteer_id" uuid NOT NULL,
	"joined_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "volunteer_team_members_team_id_volunteer_id_pk" PRIMARY KEY("team_id","volunteer_id")
);
--> statement-breakpoint
CREATE TABLE "volunteer_teams" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"unit_id" uuid NOT NULL,
	"unit_path" "ltree" NOT NULL,
	"leader_id" uuid,
	"description" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "volunteers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid,
	"unit_id" uuid NOT NULL,
	"unit_path" "ltree" NOT NULL,
	"name" text NOT NULL,
	"name_pinyin" text NOT NULL,
	"name_initials" text NOT NULL,
	"id_number_enc" text NOT NULL,
	"id_number_index" text NOT NULL,
	"id_number_masked" text NOT NULL,
	"sex" text,
	"birth_date" date,
	"phone_enc" text,
	"phone_index" text,
	"phone_masked" text,
	"skills" text[] DEFAULT '{}'::text[] NOT NULL,
	"availability" text,
	"is_courier" boolean DEFAULT false NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"status_reason" text,
	"source" text DEFAULT 'station' NOT NULL,
	"reviewed_by" uuid,
	"reviewed_at" timestamp with time zone,
	"timebank_account_id" uuid,
	"confirmed_hours" integer DEFAULT 0 NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "volunteers_status_check" CHECK ("volunteers"."status" in ('pending', 'active', 'suspended', 'rejected')),
	CONSTRAINT "volunteers_source_check" CHECK ("volunteers"."source" in ('self', 'station')),
	CONSTRAINT "volunteers_confirmed_hours_check" CHECK ("volunteers"."confirmed_hours" >= 0)
);
--> statement-breakpoint
ALTER TABLE "volunteer_team_members" ADD CONSTRAINT "volunteer_team_members_team_id_volunteer_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."volunteer_teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_team_members" ADD CONSTRAINT "volunteer_team_members_volunteer_id_volunteers_id_fk" FOREIGN KEY ("volunteer_id") REFERENCES "public"."volunteers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_teams" ADD CONSTRAINT "volunteer_teams_leader_id_volunteers_id_fk" FOREIGN KEY ("leader_id") REFERENCES "public"."volunteers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteers" ADD CONSTRAINT "volunteers_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteers" ADD CONSTRAINT "volunteers_timebank_account_id_timebank_accounts_id_fk" FOREIGN KEY ("timebank_account_id") REFERENCES "public"."timebank_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "volunteer_team_members_volunteer_id_idx" ON "volunteer_team_members" USING btree ("volunteer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "volunteer_teams_unit_id_name_idx" ON "volunteer_teams" USING btree ("unit_id","name");--> statement-breakpoint
CREATE INDEX "volunteer_teams_unit_path_idx" ON "volunteer_teams" USING gist ("unit_path");--> statement-breakpoint
CREATE UNIQUE INDEX "volunteers_id_number_index_idx" ON "volunteers" USING btree ("id_number_index");--> statement-breakpoint
CREATE UNIQUE INDEX "volunteers_user_id_idx" ON "volunteers" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "volunteers_unit_path_idx" ON "volunteers" USING gist ("unit_path");--> statement-breakpoint
CREATE INDEX "volunteers_phone_index_idx" ON "volunteers" USING btree ("phone_index");--> statement-breakpoint
CREATE INDEX "volunteers_name_initials_idx" ON "volunteers" USING btree ("name_initials" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "volunteers_name_pinyin_idx" ON "volunteers" USING btree ("name_pinyin" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "volunteers_updated_at_id_idx" ON "volunteers" USING btree ("updated_at","id");--> statement-breakpoint
CREATE INDEX "volunteers_status_idx" ON "volunteers" USING btree ("status");