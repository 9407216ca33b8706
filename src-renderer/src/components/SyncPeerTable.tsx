/**
 * The sync panel's peers: who (short node id, and the address for a link we
 * dialled), which way, how far along, when last heard from, and the traffic
 * both ways. A link still in its handshake has no node id yet.
 */
import type { SyncPeerStatus } from "../../../src-shared/syncMethods";
import { formatBytes } from "../lib/formatBytes";
import { formatRelative } from "../lib/formatRelative";
import { shortNodeId } from "../sync/shortNodeId";
import { CatchUpBar } from "./CatchUpBar";

const STATES: Readonly<Record<SyncPeerStatus["state"], string>> = {
  handshake: "Handshake",
  syncing: "Catching up",
  live: "Live",
};

interface Props {
  peers: SyncPeerStatus[];
  now: number;
}

const traffic = (bytes: number, changes: number) => (
  <>
    <span className="peers__bytes">{formatBytes(bytes)}</span>
    <span className="peers__changes">
      {changes.toLocaleString()} {changes === 1 ? "change" : "changes"}
    </span>
  </>
);

export function SyncPeerTable({ peers, now }: Props) {
  if (peers.length === 0) return <p className="empty">No peer is connected.</p>;
  return (
    <table className="modal__table peers" data-testid="sync-peers">
      <thead>
        <tr>
          <th scope="col">Peer</th>
          <th scope="col">Link</th>
          <th scope="col">State</th>
          <th scope="col">Last seen</th>
          <th scope="col" className="peers__num">
            Received
          </th>
          <th scope="col" className="peers__num">
            Sent
          </th>
        </tr>
      </thead>
      <tbody>
        {peers.map((peer, i) => (
          <tr
            // A peer can be linked both ways, and a handshaking link has no id: the row key needs both.
            key={`${peer.nodeId ?? "pending"}:${peer.direction}:${peer.url ?? i}`}
            data-testid="sync-peer"
            data-node-id={peer.nodeId ?? ""}
            data-direction={peer.direction}
            data-state={peer.state}
          >
            <td className="peers__who">
              {peer.nodeId ? (
                <code title={peer.nodeId}>{shortNodeId(peer.nodeId)}</code>
              ) : (
                <span className="muted-text">not yet identified</span>
              )}
              {peer.url && (
                <span className="peers__url" title={peer.url}>
                  {peer.url}
                </span>
              )}
            </td>
            <td>{peer.direction === "in" ? "Incoming" : "Outgoing"}</td>
            <td>
              <span className={`chip chip--sync-${peer.state}`}>{STATES[peer.state]}</span>
              {peer.catchUp && <CatchUpBar progress={peer.catchUp} />}
            </td>
            <td className="peers__time">{peer.lastSeen === null ? "—" : formatRelative(peer.lastSeen, now)}</td>
            <td className="peers__num">{traffic(peer.bytesIn, peer.changesIn)}</td>
            <td className="peers__num">{traffic(peer.bytesOut, peer.changesOut)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
