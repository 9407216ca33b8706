/**
 * How a `StoryRecord` is kept in the v5 `stories.record` column (issue 14):
 * a compact binary row instead of JSON that repeats a 64-hex author key in
 * every stamp and a 64-hex change id in every creator and dependsOn tag.
 *
 * Layout (a BLOB; the story id is the row key, not repeated):
 *   0x01 ‖ stamps ‖ creators ‖ name ‖ agent ‖ blocked ‖ place ‖ retries ‖
 *   deps ‖ claims ‖ hide ‖ unhide ‖ deleted ‖ present(u8 bit set) ‖ desc? ‖
 *   lastDelete? ‖ undeleted? ‖ log?
 * - stamps = the record's distinct stamps once each (the log's first, in
 *   its order): uvarint n ‖ n × (zigzag uvarint wall delta from the previous
 *   entry ‖ uvarint logical ‖ uvarint author idx ‖ id(32)); every stamp in
 *   the record is then a uvarint index into it (a register's stamp is
 *   nearly always one of the log's, so it costs a byte);
 * - id ref (creators, tags) = uvarint 0 ‖ id(32), or k + 1: the id of stamp k;
 * - register = value ‖ stamp ‖ uvarint (0 = no `others`, n + 1 = n writes);
 * - tag `<id>.<n>` = id ref ‖ uvarint n; counts and strings are uvarint-led;
 * - null-able values lead with 0 (null) / 1.
 *
 * Invariants:
 * - Exact: decode(encode(r)) deep-equals r (key order of `retries`/`deps`
 *   kept). Anything the layout cannot hold exactly (an id that is not
 *   64-hex, a clock that is not a uvarint, a lone surrogate, an unknown key,
 *   a stamp-shaped `hide`) makes `encode` return the JSON text instead,
 *   stored as TEXT: SQLite never confuses TEXT with a BLOB, so the fallback
 *   is never lost and never misread. v4 rows (JSON TEXT) read the same way.
 * - Author keys go through the `authors` table (`idxOf` adds a key: a write,
 *   as `putStory` is one); idxs never change, so a row stays decodable.
 * - Same bytes as every earlier build: the format is on disk (no
 *   migration), and storyColumnBytes.test.ts checks it against the previous
 *   encoder kept as the reference.
 * - No compression, no closures per record, one Buffer per row
 *   (`StoryRowEncoder` / `StoryRowDecoder`): `putStory` is on the catch-up
 *   path.
 */
import type { StoryRecord } from "../crdt/StoryRecord";
import { StoryRowDecoder } from "./StoryRowDecoder";
import { StoryRowEncoder } from "./StoryRowEncoder";

const KNOWN_KEYS = new Set(["id", "creators", "name", "agent", "blocked", "place", "retries", "deps", "claims", "hide", "unhide", "deleted", "desc", "lastDelete", "undeleted", "log"]);

export type StoryValue = Buffer | string;

export const storyColumn = {
  /** The compact BLOB, or the JSON text when the compact form cannot hold `record` exactly. */
  encode(record: StoryRecord, idxOf: (author: string) => number): StoryValue {
    for (const key in record) if (!KNOWN_KEYS.has(key)) return JSON.stringify(record);
    return StoryRowEncoder.encode(record, idxOf) ?? JSON.stringify(record);
  },

  /** `id` is the row key; a TEXT value is the JSON form (fallback, or a row from before the compact form). */
  decode(id: string, value: StoryValue, keyOf: (idx: number) => string): StoryRecord {
    if (typeof value === "string") return JSON.parse(value) as StoryRecord;
    try {
      return StoryRowDecoder.decode(id, value, keyOf);
    } catch (err) {
      throw new Error(`story ${id}: stored row does not decode (${err instanceof Error ? err.message : String(err)})`);
    }
  },
};
