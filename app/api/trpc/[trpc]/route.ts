import { handleTrpcRequest } from "@/server/api/http";
import { createRequestContext } from "@/server/api/request-context";
import { getDb, getReadDb } from "@/server/db/client";

// Queries come as GET (httpBatchLink): they read through the pool whose statements time out.
const handler = (req: Request) => handleTrpcRequest(req, () => createRequestContext(req.method === "GET" ? getReadDb() : getDb()));

export { handler as GET, handler as POST };
