/**
 * One valid op of every type, typed so that a new op type fails to compile
 * until it has a sample: the change codec's tests encode, decode and compare
 * them. `hexA` / `hexB` are the 64-hex values the membership and deps ops carry.
 */
import type { Op } from "../../../src-main/crdt/Change";

export type OpSamples = { [T in Op["t"]]: Extract<Op, { t: T }> };

export function opSamples(hexA: string, hexB: string): OpSamples {
  return {
    create: { t: "create", story: "s_1", name: "Write the spec", stage: "1_backlog", rank: "a0", agent: null },
    name: { t: "name", story: "s_1", value: "Ünïcode ✓ 🚀" },
    agent: { t: "agent", story: "s_1", value: "coder-1" },
    blocked: { t: "blocked", story: "s_1", value: true },
    place: { t: "place", story: "s_1", stage: "2_current", rank: "a1" },
    count: { t: "count", story: "s_1", delta: -3 },
    deps: { t: "deps", story: "s_1", add: ["s_2", "s_3"], remove: [`${hexA}.0`, `${hexB}.12`] },
    claim: { t: "claim", story: "s_1", by: "agent-7" },
    release: { t: "release", story: "s_1" },
    hide: { t: "hide", story: "s_1" },
    unhide: { t: "unhide", story: "s_1" },
    delete: { t: "delete", story: "s_1" },
    desc: { t: "desc", story: "s_1", value: "line one\nline two\u0000" },
    undelete: { t: "undelete", story: "s_1" },
    limit: { t: "limit", stage: "3_qa", limit: 5 },
    session: { t: "session", session: "sess-1", title: "t", storyId: null, createdAt: 1_700_000_000_000 },
    msg: { t: "msg", session: "sess-1", id: `m_${"0".repeat(32)}`, sender: "me", role: "user", ts: 1_700_000_000_001, content: "hello", occ: 0 },
    cell: { t: "cell", session: "sess-1", messages: [`m_${"0".repeat(32)}`], title: "c", content: "body", summary: null },
    segmenter: { t: "segmenter", session: "sess-1" },
    cellHide: { t: "cellHide", cell: `c_${"1".repeat(32)}` },
    cellUnhide: { t: "cellUnhide", cell: `c_${"1".repeat(32)}` },
    genesis: { t: "genesis", nonce: hexA, name: "founder" },
    member: { t: "member", key: hexB, name: "laptop", role: "member" },
    role: { t: "role", key: hexB, role: "admin" },
    remove: { t: "remove", key: hexB },
    invite: { t: "invite", key: hexA, name: "phone", role: "member", expires: 9_007_199_254_740_991 },
    join: { t: "join", invite: hexA, proof: "c".repeat(128) },
  };
}
