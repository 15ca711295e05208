CREATE TABLE "timebank_accounts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"owner_id" uuid,
	"unit_id" uuid NOT NULL,
	"unit_path" "ltree" NOT NULL,
	"name" text NOT NULL,
	"balance" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "timebank_accounts_kind_check" CHECK ("timebank_accounts"."kind" in ('person', 'unit_pool', 'catalogue', 'system')),
	CONSTRAINT "timebank_accounts_balance_check" CHECK ("timebank_accounts"."kind" = 'system' or "timebank_accounts"."balance" >= 0)
);
--> statement-breakpoint
CREATE TABLE "timebank_entries" (
	"id" uuid PRIMARY KEY NOT NULL,
	"seq" bigserial NOT NULL,
	"posting_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"amount" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "timebank_entries_amount_check" CHECK ("timebank_entries"."amount" <> 0)
);
--> statement-breakpoint
CREATE TABLE "timebank_postings" (
	"id" uuid PRIMARY KEY NOT NULL,
	"idempotency_key" text NOT NULL,
	"request_hash" text NOT NULL,
	"kind" text NOT NULL,
	"memo" text,
	"hours" integer,
	"corrects_posting_id" uuid,
	"created_by" uuid,
	"unit_path" "ltree" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "timebank_postings_kind_check" CHECK ("timebank_postings"."kind" in ('earn', 'spend', 'transfer', 'grant', 'correction'))
);
--> statement-breakpoint
CREATE TABLE "timebank_settings" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"credits_per_hour" integer DEFAULT 100 NOT NULL,
	"yearly_earn_cap" integer,
	"lifetime_earn_cap" integer,
	"transfers_allowed" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "timebank_settings_single_row_check" CHECK ("timebank_settings"."id" = 1)
);
--> statement-breakpoint
ALTER TABLE "timebank_entries" ADD CONSTRAINT "timebank_entries_posting_id_timebank_postings_id_fk" FOREIGN KEY ("posting_id") REFERENCES "public"."timebank_postings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "timebank_entries" ADD CONSTRAINT "timebank_entries_account_id_timebank_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."timebank_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "timebank_postings" ADD CONSTRAINT "timebank_postings_corrects_posting_id_timebank_postings_id_fk" FOREIGN KEY ("corrects_posting_id") REFERENCES "public"."timebank_postings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "timebank_accounts_unit_path_idx" ON "timebank_accounts" USING gist ("unit_path");--> statement-breakpoint
CREATE INDEX "timebank_accounts_owner_id_idx" ON "timebank_accounts" USING btree ("owner_id");--> statement-breakpoint
CREATE UNIQUE INDEX "timebank_accounts_system_unit_idx" ON "timebank_accounts" USING btree ("unit_id") WHERE kind = 'system';--> statement-breakpoint
CREATE INDEX "timebank_entries_account_id_created_at_idx" ON "timebank_entries" USING btree ("account_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "timebank_entries_posting_id_idx" ON "timebank_entries" USING btree ("posting_id");--> statement-breakpoint
CREATE UNIQUE INDEX "timebank_postings_idempotency_key_idx" ON "timebank_postings" USING btree ("idempotency_key");--> statement-breakpoint
CREATE UNIQUE INDEX "timebank_postings_corrects_posting_id_idx" ON "timebank_postings" USING btree ("corrects_posting_id");--> statement-breakpoint
CREATE INDEX "timebank_postings_unit_path_idx" ON "timebank_postings" USING gist ("unit_path");