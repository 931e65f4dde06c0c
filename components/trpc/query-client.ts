import { defaultShouldDehydrateQuery, QueryClient } from "@tanstack/react-query";
import superjson from "superjson";

/**
 * The QueryClient of the pages' live data: one per request on the server (to prefetch and
 * hydrate), one per tab in the browser. Data crosses from server to browser in superjson, the
 * tRPC endpoint's own transformer, so that dates stay dates.
 */
export function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Rendered on the server a moment ago: not worth fetching again as soon as it hydrates.
        staleTime: 30 * 1000,
      },
      dehydrate: {
        serializeData: superjson.serialize,
        // Prefetches still under way stream to the browser too.
        shouldDehydrateQuery: (query) => defaultShouldDehydrateQuery(query) || query.state.status === "pending",
      },
      hydrate: {
        deserializeData: superjson.deserialize,
      },
    },
  });
}
