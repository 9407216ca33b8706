/** Carries the app's one navigation store (made by `createNavigationStore`) down the tree. */
import { createContext } from "react";
import type { NavigationStore } from "./useNavigationStore";

export const NavigationStoreContext = createContext<NavigationStore | null>(null);
