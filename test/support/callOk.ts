import type { MusherNode } from "../../src-main/node/createNode";
import type { Input, Method, Output } from "../../src-shared/contract";

/** A contract call through `node.call` that must succeed: an error result throws with its code. */
export async function callOk<M extends Method>(node: MusherNode, method: M, input: Input<M>): Promise<Output<M>> {
  const r = await node.call(method, input);
  if (!r.ok) throw new Error(`${method}: ${r.error.code}: ${r.error.message}`);
  return r.value as Output<M>;
}
