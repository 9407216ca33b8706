/** Carries the app's one board store (made by `createBoardStore`) down the tree. */
import { createContext } from "react";
import type { BoardStore } from "./useBoardStore";

export const BoardStoreContext = createContext<BoardStore | null>(null);
