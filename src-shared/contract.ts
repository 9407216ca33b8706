/**
 * The API contract: every method the node offers and every event it pushes,
 * declared once. Hosts (Electron IPC, HTTP/WebSocket, direct calls in tests)
 * and the renderer's client are all derived from this table, so a method
 * cannot exist on one transport and not another.
 *
 * Each method takes exactly one input object, validated by its zod schema on
 * the receiving side; its output schema documents the result (and lets a
 * client check what it got back).
 */
import { z } from "zod";
import { boardSchema, stageSchema } from "./Board";
import { memberEvents, memberMethods } from "./memberMethods";
import { memoryEvents, memoryMethods } from "./memoryMethods";
import { stageIdSchema } from "./stages";
import { descriptionSchema, historyEntrySchema, storyDetailSchema, storyIdSchema, storySchema } from "./Story";
import { syncEvents, syncMethods } from "./syncMethods";

const storyName = z.string().trim().min(1, "a story needs a name").max(500);
const agentName = z.string().trim().min(1).max(200).nullable();

export const nodeInfoSchema = z.object({
  /** The node's Ed25519 public key, hex: it signs every change this node makes. */
  nodeId: z.string(),
  workspaceId: z.string(),
  version: z.string(),
  host: z.enum(["electron", "serve", "embedded"]),
});

export type NodeInfo = z.infer<typeof nodeInfoSchema>;

const byId = z.object({ id: storyIdSchema }).strict();

export const methods = {
  "node/info": {
    input: z.object({}).strict(),
    output: nodeInfoSchema,
  },
  "board/get": {
    input: z
      .object({
        /** Hidden stories are left out unless asked for. */
        includeHidden: z.boolean().optional(),
      })
      .strict(),
    output: boardSchema,
  },
  "story/create": {
    input: z
      .object({
        name: storyName,
        stage: stageIdSchema.optional(),
        agent: agentName.optional(),
      })
      .strict(),
    output: storySchema,
  },
  "story/update": {
    input: z
      .object({
        id: storyIdSchema,
        name: storyName.optional(),
        /** Plain text, at most 64 KiB of UTF-8. */
        description: descriptionSchema.optional(),
        agent: agentName.optional(),
        blocked: z.boolean().optional(),
        dependsOn: z.array(storyIdSchema).max(1000).optional(),
      })
      .strict(),
    output: storySchema,
  },
  "story/move": {
    input: z
      .object({
        id: storyIdSchema,
        stage: stageIdSchema,
        /** Position among the visible stories of the target stage; default: last. */
        index: z.number().int().min(0).optional(),
      })
      .strict(),
    output: storySchema,
  },
  "story/retry": {
    /** Counts one more attempt; concurrent retries on different devices all count. */
    input: byId,
    output: storySchema,
  },
  "story/claim": {
    input: z
      .object({
        id: storyIdSchema,
        /** Who takes the story (an agent's or person's name); default: this node's id. */
        claimant: z.string().trim().min(1).max(200).optional(),
      })
      .strict(),
    output: storySchema,
  },
  "story/release": { input: byId, output: storySchema },
  "story/hide": { input: byId, output: storySchema },
  "story/unhide": { input: byId, output: storySchema },
  "story/delete": { input: byId, output: z.object({ id: storyIdSchema }) },
  /** The story with its description and open conflicts (winning value first). */
  "story/get": { input: byId, output: storyDetailSchema },
  /** What changed the story, newest first (the latest 64 changes). */
  "story/history": { input: byId, output: z.object({ entries: z.array(historyEntrySchema) }) },
  /** Deleted stories, latest delete first (at most 500), for the trash view. */
  "story/trash": { input: z.object({}).strict(), output: z.object({ stories: z.array(storySchema) }) },
  /** Brings a deleted story back (on every replica: a signed change). */
  "story/restore": { input: byId, output: storySchema },
  /** Undoes this node's last edit by writing its inverse; fields changed by others since are skipped (the summary says so). */
  "edit/undo": { input: z.object({}).strict(), output: z.object({ undone: z.string().nullable() }) },
  "edit/redo": { input: z.object({}).strict(), output: z.object({ redone: z.string().nullable() }) },
  /** Sets a stage's WIP limit (null: none); replicated like any edit. */
  "stage/setLimit": {
    input: z.object({ stage: stageIdSchema, limit: z.number().int().min(1).max(100_000).nullable() }).strict(),
    output: stageSchema,
  },
  /** Sessions, memcells and memory search (see `memoryMethods.ts`). */
  ...memoryMethods,
  /** Sync status and the rendezvous setting (see `syncMethods.ts`). */
  ...syncMethods,
  /** Workspace membership: list, invite, remove, join (see `memberMethods.ts`). */
  ...memberMethods,
} as const;

export const events = {
  "board/changed": z.object({
    /** Stories whose state changed; the client refetches what it shows. */
    storyIds: z.array(z.string()),
  }),
  ...memoryEvents,
  ...syncEvents,
  ...memberEvents,
} as const;

export type Methods = typeof methods;
export type Method = keyof Methods;
export type Input<M extends Method> = z.input<Methods[M]["input"]>;
export type ParsedInput<M extends Method> = z.output<Methods[M]["input"]>;
export type Output<M extends Method> = z.output<Methods[M]["output"]>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

export const methodNames = Object.keys(methods) as Method[];
export const eventNames = Object.keys(events) as EventName[];

export function isMethod(name: string): name is Method {
  return Object.prototype.hasOwnProperty.call(methods, name);
}

export function isEventName(name: string): name is EventName {
  return Object.prototype.hasOwnProperty.call(events, name);
}

/** A push event as it travels over a transport. */
export type EventMessage = {
  [E in EventName]: { event: E; payload: EventPayload<E> };
}[EventName];
