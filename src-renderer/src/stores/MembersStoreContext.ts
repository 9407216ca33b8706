/** Carries the app's one members store (made by `createMembersStore`) down the tree. */
import { createContext } from "react";
import type { MembersStore } from "./useMembersStore";

export const MembersStoreContext = createContext<MembersStore | null>(null);
