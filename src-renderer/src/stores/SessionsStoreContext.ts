/** Carries the app's one sessions store (made by `createSessionsStore`) down the tree. */
import { createContext } from "react";
import type { SessionsStore } from "./useSessionsStore";

export const SessionsStoreContext = createContext<SessionsStore | null>(null);
