import type { SessionUser } from "./authenticate";

export type Role = SessionUser["role"];

/** Each audience's landing page. */
export const HOME_PATH_BY_ROLE: Record<Role, string> = {
  customer: "/compute",
  resident: "/home",
  landlord: "/landlord",
  staff: "/admin",
};
