ALTER TABLE "units" ADD COLUMN "name_pinyin" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "units" ADD COLUMN "name_initials" text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE INDEX "units_name_initials_idx" ON "units" USING btree ("name_initials" text_pattern_ops);