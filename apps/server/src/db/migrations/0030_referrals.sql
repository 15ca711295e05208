CREATE TABLE "referral_settings" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"answer_days" integer DEFAULT 3 NOT NULL,
	"feedback_days" integer DEFAULT 14 NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "referral_settings_single_row_check" CHECK ("referral_settings"."id" = 1),
	CONSTRAINT "referral_settings_days_check" CHECK ("referral_settings"."answer_days" between 1 and 365 and "referral_settings"."feedback_days" between 1 and 365)
);
--> statement-breakpoint
CREATE TABLE "referrals" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"client_id" uuid NOT NULL,
	"from_unit_id" uuid NOT NULL,
	"from_unit_path" "ltree" NOT NULL,
	"to_kind" text NOT NULL,
	"to_unit_id" uuid,
	"to_unit_path" "ltree",
	"to_operator_id" uuid,
	"to_department" text,
	"need_id" uuid,
	"case_id" uuid,
	"summary" text NOT NULL,
	"status" text DEFAULT 'sent' NOT NULL,
	"decline_reason" text,
	"progress_note" text,
	"feedback" text,
	"close_note" text,
	"consent_method" text,
	"consent_exemption" text,
	"consent_note" text,
	"consent_recorded_by" text,
	"consent_at" timestamp with time zone,
	"due_date" date,
	"reminded" text[] DEFAULT '{}'::text[] NOT NULL,
	"sent_by" uuid,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	"answered_by" uuid,
	"answered_at" timestamp with time zone,
	"feedback_at" timestamp with time zone,
	"closed_by" uuid,
	"closed_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "referrals_kind_check" CHECK ("referrals"."kind" in ('referral', 'transfer', 'transfer_request')),
	CONSTRAINT "referrals_to_kind_check" CHECK ("referrals"."to_kind" in ('unit', 'operator', 'department')),
	CONSTRAINT "referrals_status_check" CHECK ("referrals"."status" in ('sent', 'accepted', 'declined', 'in_progress', 'feedback', 'closed')),
	CONSTRAINT "referrals_receiver_check" CHECK (("referrals"."to_kind" = 'unit' and "referrals"."to_unit_id" is not null and "referrals"."to_unit_path" is not null)
        or ("referrals"."to_kind" = 'operator' and "referrals"."to_operator_id" is not null and "referrals"."kind" = 'referral')
        or ("referrals"."to_kind" = 'department' and "referrals"."to_department" is not null and "referrals"."kind" = 'referral')),
	CONSTRAINT "referrals_consent_check" CHECK ("referrals"."consent_method" is null or "referrals"."consent_method" in ('written', 'verbal', 'guardian', 'not_needed'))
);
--> statement-breakpoint
CREATE INDEX "referrals_from_unit_path_idx" ON "referrals" USING gist ("from_unit_path");--> statement-breakpoint
CREATE INDEX "referrals_to_unit_path_idx" ON "referrals" USING gist ("to_unit_path");--> statement-breakpoint
CREATE INDEX "referrals_client_id_idx" ON "referrals" USING btree ("client_id");--> statement-breakpoint
CREATE INDEX "referrals_due_date_idx" ON "referrals" USING btree ("due_date") WHERE due_date is not null;--> statement-breakpoint
CREATE INDEX "referrals_updated_at_idx" ON "referrals" USING btree ("updated_at" DESC NULLS LAST,"id" DESC NULLS LAST);