CREATE TABLE "errands" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"details" text,
	"place" text NOT NULL,
	"unit_id" uuid NOT NULL,
	"unit_path" "ltree" NOT NULL,
	"window_from" timestamp with time zone NOT NULL,
	"window_to" timestamp with time zone NOT NULL,
	"reward" integer NOT NULL,
	"funding_account_id" uuid NOT NULL,
	"client_id" uuid,
	"requested_by" uuid NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"assignee_user_id" uuid,
	"assignee_volunteer_id" uuid,
	"assigned_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"confirmed_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"cancel_reason" text,
	"reward_posting_id" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "errands_kind_check" CHECK ("errands"."kind" in ('shopping', 'delivery', 'escort', 'other')),
	CONSTRAINT "errands_status_check" CHECK ("errands"."status" in ('open', 'assigned', 'done', 'confirmed', 'cancelled', 'expired')),
	CONSTRAINT "errands_reward_check" CHECK ("errands"."reward" > 0),
	CONSTRAINT "errands_window_check" CHECK ("errands"."window_to" > "errands"."window_from"),
	CONSTRAINT "errands_assignee_check" CHECK (("errands"."status" = 'open' and "errands"."assignee_user_id" is null) or "errands"."status" not in ('open', 'assigned', 'done', 'confirmed') or "errands"."assignee_user_id" is not null),
	CONSTRAINT "errands_confirmed_paid_check" CHECK ("errands"."status" <> 'confirmed' or "errands"."reward_posting_id" is not null)
);
--> statement-breakpoint
ALTER TABLE "errands" ADD CONSTRAINT "errands_funding_account_id_timebank_accounts_id_fk" FOREIGN KEY ("funding_account_id") REFERENCES "public"."timebank_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "errands" ADD CONSTRAINT "errands_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "errands" ADD CONSTRAINT "errands_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "errands" ADD CONSTRAINT "errands_assignee_user_id_users_id_fk" FOREIGN KEY ("assignee_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "errands" ADD CONSTRAINT "errands_reward_posting_id_timebank_postings_id_fk" FOREIGN KEY ("reward_posting_id") REFERENCES "public"."timebank_postings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "errands_unit_path_idx" ON "errands" USING gist ("unit_path");--> statement-breakpoint
CREATE INDEX "errands_open_unit_path_idx" ON "errands" USING gist ("unit_path") WHERE status = 'open';--> statement-breakpoint
CREATE INDEX "errands_assignee_user_id_idx" ON "errands" USING btree ("assignee_user_id","status");--> statement-breakpoint
CREATE INDEX "errands_requested_by_idx" ON "errands" USING btree ("requested_by");--> statement-breakpoint
CREATE INDEX "errands_created_at_id_idx" ON "errands" USING btree ("created_at","id");