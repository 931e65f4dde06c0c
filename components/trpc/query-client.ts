import { QueryClient } from "@tanstack/react-query";

/** The QueryClient of the pages' live data: one per tab in the browser (one per render on the server, where nothing is fetched). */
export function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Fresh from the server's render a moment ago: not worth fetching again at once.
        staleTime: 30 * 1000,
      },
    },
  });
}
