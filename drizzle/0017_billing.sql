CREATE TYPE "public"."budget_policy" AS ENUM('alert', 'block');--> statement-breakpoint
CREATE TYPE "public"."credit_entry_kind" AS ENUM('grant', 'draw');--> statement-breakpoint
CREATE TABLE "credit_entries" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "credit_entries_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"organization_id" uuid NOT NULL,
	"kind" "credit_entry_kind" NOT NULL,
	"amount_cents" bigint NOT NULL,
	"charge_id" bigint,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by_user_id" uuid,
	CONSTRAINT "credit_entries_sign" CHECK (("credit_entries"."kind" = 'grant' and "credit_entries"."amount_cents" > 0 and "credit_entries"."charge_id" is null) or ("credit_entries"."kind" = 'draw' and "credit_entries"."amount_cents" <= 0 and "credit_entries"."charge_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "organization_budgets" (
	"organization_id" uuid PRIMARY KEY NOT NULL,
	"monthly_budget_cents" bigint NOT NULL,
	"policy" "budget_policy" NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by_user_id" uuid,
	CONSTRAINT "organization_budgets_not_negative" CHECK ("organization_budgets"."monthly_budget_cents" >= 0)
);
--> statement-breakpoint
CREATE TABLE "rate_card_versions" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "rate_card_versions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"scheduling_type" "scheduling_type" NOT NULL,
	"rate_cents_per_core_hour" integer NOT NULL,
	"effective_from" timestamp with time zone NOT NULL,
	"label" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by_user_id" uuid,
	CONSTRAINT "rate_card_versions_rate_positive" CHECK ("rate_card_versions"."rate_cents_per_core_hour" > 0)
);
--> statement-breakpoint
CREATE TABLE "task_charges" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "task_charges_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"organization_id" uuid NOT NULL,
	"task_id" uuid,
	"job_id" uuid,
	"task_name" text NOT NULL,
	"attempt_id" bigint NOT NULL,
	"instance_number" integer NOT NULL,
	"scheduling_type" "scheduling_type" NOT NULL,
	"core_seconds" bigint NOT NULL,
	"billed_minutes" bigint NOT NULL,
	"rate_version_id" bigint NOT NULL,
	"rate_cents_per_core_hour" integer NOT NULL,
	"amount_cents" bigint NOT NULL,
	"charged_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "task_charges_amount_not_negative" CHECK ("task_charges"."amount_cents" >= 0)
);
--> statement-breakpoint
ALTER TABLE "credit_entries" ADD CONSTRAINT "credit_entries_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_entries" ADD CONSTRAINT "credit_entries_charge_id_task_charges_id_fk" FOREIGN KEY ("charge_id") REFERENCES "public"."task_charges"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_entries" ADD CONSTRAINT "credit_entries_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organization_budgets" ADD CONSTRAINT "organization_budgets_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organization_budgets" ADD CONSTRAINT "organization_budgets_updated_by_user_id_users_id_fk" FOREIGN KEY ("updated_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rate_card_versions" ADD CONSTRAINT "rate_card_versions_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_charges" ADD CONSTRAINT "task_charges_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_charges" ADD CONSTRAINT "task_charges_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_charges" ADD CONSTRAINT "task_charges_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_charges" ADD CONSTRAINT "task_charges_rate_version_id_rate_card_versions_id_fk" FOREIGN KEY ("rate_version_id") REFERENCES "public"."rate_card_versions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "credit_entries_organization_idx" ON "credit_entries" USING btree ("organization_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "credit_entries_charge_idx" ON "credit_entries" USING btree ("charge_id");--> statement-breakpoint
CREATE INDEX "rate_card_versions_lookup_idx" ON "rate_card_versions" USING btree ("scheduling_type","effective_from");--> statement-breakpoint
CREATE UNIQUE INDEX "task_charges_attempt_idx" ON "task_charges" USING btree ("attempt_id");--> statement-breakpoint
CREATE INDEX "task_charges_organization_idx" ON "task_charges" USING btree ("organization_id","charged_at");--> statement-breakpoint
CREATE INDEX "task_charges_task_idx" ON "task_charges" USING btree ("task_id");