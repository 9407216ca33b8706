/**
 * What the renderer (and any other consumer) holds: a typed view of the
 * contract that hides which transport carries it.
 */
import type { EventName, EventPayload, Input, Method, Output } from "./contract";

export type Unsubscribe = () => void;

export interface MusherClient {
  /** Resolves with the result or rejects with an `ApiFailure`. */
  call<M extends Method>(method: M, input: Input<M>): Promise<Output<M>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): Unsubscribe;
}
