/**
 * The contract's implementation, once, for every transport. Handlers receive
 * inputs already validated by `dispatch` and report what changed through
 * `emit`, after the change is committed.
 */
import type { EventMessage, NodeInfo } from "../../src-shared/contract";
import type { BoardModel } from "../node/BoardModel";
import type { Handlers } from "./dispatch";

export interface ApiDeps {
  info: NodeInfo;
  board: BoardModel;
  emit: (message: EventMessage) => void;
}

export function createApi({ info, board, emit }: ApiDeps): Handlers {
  const changed = (storyIds: string[]): void => emit({ event: "board/changed", payload: { storyIds } });
  return {
    "node/info": () => info,
    "board/get": () => board.board(),
    "story/create": (input) => {
      const story = board.create({ name: input.name, stage: input.stage ?? "1_backlog", agent: input.agent ?? null });
      changed([story.id]);
      return story;
    },
    "story/update": (input) => {
      const { id, ...patch } = input;
      const story = board.update(id, patch);
      changed([story.id]);
      return story;
    },
    "story/move": (input) => {
      const story = board.move(input.id, input.stage, input.index);
      changed([story.id]);
      return story;
    },
  };
}
