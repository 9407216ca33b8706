/** Carries the app's one sync store (made by `createSyncStore`) down the tree. */
import { createContext } from "react";
import type { SyncStore } from "./useSyncStore";

export const SyncStoreContext = createContext<SyncStore | null>(null);
