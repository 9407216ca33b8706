/**
 * The contract's method names, without zod.
 *
 * Why a second list: the sandboxed preload can only `require("electron")`,
 * so its bundle must not pull in `src-shared/contract.ts` (which builds zod
 * schemas at module load). The `{ [M in Method]: true }` annotation makes the
 * compiler reject a missing or extra name, so this list cannot drift from
 * the contract; `bridgeMethodNames.test.ts` checks the order-free equality at
 * run time as well. Only type imports cross into this file.
 */
import type { Method } from "../../src-shared/contract";

const methodSet: { readonly [M in Method]: true } = {
  "node/info": true,
  "board/get": true,
  "story/create": true,
  "story/update": true,
  "story/move": true,
  "story/retry": true,
  "story/claim": true,
  "story/release": true,
  "story/hide": true,
  "story/unhide": true,
  "story/delete": true,
  "story/get": true,
  "story/history": true,
  "story/trash": true,
  "story/restore": true,
  "edit/undo": true,
  "edit/redo": true,
  "stage/setLimit": true,
  "session/create": true,
  "session/list": true,
  "session/addMessages": true,
  "session/flush": true,
  "session/memcells": true,
  "session/buffer": true,
  "memory/search": true,
  "memcell/hide": true,
  "memcell/unhide": true,
  "sync/status": true,
  "sync/setRendezvous": true,
  "sync/retryNow": true,
  "member/list": true,
  "member/invite": true,
  "member/remove": true,
  "member/join": true,
};

export const bridgeMethodNames: readonly Method[] = Object.freeze(Object.keys(methodSet) as Method[]);
