ALTER TABLE "refund_statement_lines" DROP CONSTRAINT "refund_statement_lines_radiator_id_radiators_id_fk";
--> statement-breakpoint
ALTER TABLE "refund_statement_lines" DROP CONSTRAINT "refund_statement_lines_gateway_id_gateways_id_fk";
