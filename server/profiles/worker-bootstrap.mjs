// Entry of the profile pool's worker threads (see worker.ts). Worker threads do not inherit tsx's
// loader from the parent, so the TypeScript entry is loaded through tsx's API instead.
import { tsImport } from "tsx/esm/api";

await tsImport("./worker-entry.ts", import.meta.url);
