import "server-only";
import { InvalidInputError, NotFoundError } from "@/server/services/errors";
import { carbonMonth } from "@/server/services/carbon-report";
import { customerSession } from "../../route-helpers";

/** The signed-in customer's month with every task line, or null (answered 404): no customer, a month that is not one or has not begun. */
export async function monthForDownload(month: string) {
  const session = await customerSession();
  if (!session) return null;
  const { organizationId } = session.user;
  try {
    return await carbonMonth(session.db, { organizationId }, organizationId, month, { pageSize: null });
  } catch (error) {
    if (error instanceof InvalidInputError || error instanceof NotFoundError) return null;
    throw error;
  }
}
