CREATE TABLE "daily_report_unit_months" (
	"unit_id" uuid NOT NULL,
	"month" date NOT NULL,
	"filed" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "daily_report_unit_months_unit_id_month_pk" PRIMARY KEY("unit_id","month")
);
