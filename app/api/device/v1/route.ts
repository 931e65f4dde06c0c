import { getDb } from "@/server/db/client";
import { handleDeviceRequest } from "@/server/device/http";

/** Device protocol discovery: the versions this server speaks (unauthenticated). */
export function GET(request: Request) {
  return handleDeviceRequest(request, getDb());
}
