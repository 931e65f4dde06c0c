import { z } from "zod";
import { HOLDER_NAME_MAX, IBAN_INPUT_MAX } from "@/server/domain/iban";
import { enrolmentOf, saveEnrolment } from "@/server/services/enrolment";
import { createTRPCRouter, residentProcedure } from "../trpc";

// Shapes and sizes only: the IBAN's checksum, the BIC and the delivery point's 14 digits are the
// domain's refusals (server/domain/iban.ts), each naming its field.
const text = (max: number, message: string) => z.string(message).max(max, message);

/** A resident's enrolment for the electricity refund: bounded by `ctx.dwellingId`; the IBAN goes out only masked. */
export const enrolmentRouter = createTRPCRouter({
  mine: residentProcedure.query(({ ctx }) => enrolmentOf(ctx.db, { dwellingId: ctx.dwellingId })),

  save: residentProcedure
    .input(
      z.object({
        holderName: text(HOLDER_NAME_MAX * 2, `Give the contract holder's name, at most ${HOLDER_NAME_MAX} characters.`),
        deliveryPoint: text(40, "The delivery point number has 14 digits; it is on the electricity bill."),
        iban: text(IBAN_INPUT_MAX, "Give the IBAN of the account to pay."),
        bic: text(20, "A BIC has 8 or 11 letters and digits.").nullish(),
        consent: z.boolean("Agree to the refund being paid into this account."),
      }),
    )
    .mutation(({ ctx, input }) => saveEnrolment(ctx.db, { dwellingId: ctx.dwellingId, userId: ctx.user.id, ...input })),
});
