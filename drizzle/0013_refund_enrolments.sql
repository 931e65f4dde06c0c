CREATE TABLE "refund_enrolments" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "refund_enrolments_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"dwelling_id" uuid NOT NULL,
	"user_id" uuid,
	"holder_name" text NOT NULL,
	"delivery_point" text NOT NULL,
	"iban_encrypted" text NOT NULL,
	"iban_masked" text NOT NULL,
	"bic" text,
	"consent_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "refund_enrolments_delivery_point_digits" CHECK ("refund_enrolments"."delivery_point" ~ '^[0-9]{14}$')
);
--> statement-breakpoint
ALTER TABLE "refund_enrolments" ADD CONSTRAINT "refund_enrolments_dwelling_id_dwellings_id_fk" FOREIGN KEY ("dwelling_id") REFERENCES "public"."dwellings"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refund_enrolments" ADD CONSTRAINT "refund_enrolments_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "refund_enrolments_dwelling_idx" ON "refund_enrolments" USING btree ("dwelling_id","created_at");