/**
 * Gives a node its sync layer: the SyncService (whose `handleUpgrade` a host
 * mounts at `/sync`), the rendezvous peers it dials, and `sync/changed`.
 *
 * - Dials the persisted rendezvous setting ∪ the host's `--rendezvous` URLs,
 *   each address once (compared as parsed URLs, so `ws://h:80/x` and
 *   `ws://H/x` are one peer). `setRendezvous` persists the new list and
 *   redials: clients no longer wanted stop, new ones start, the others keep
 *   their connection. The host's URLs are not part of the setting — they are
 *   how this process was started, not what the user chose — so they are
 *   always dialled and never written.
 * - Each dialled address reports its `source` in the status: "flag" for the
 *   host's URLs, "setting" for the rest. An address in both is "flag" (it
 *   is dialled whatever the setting says), with the host's spelling; since
 *   the host's URLs are fixed, an address's source never changes while it
 *   is dialled.
 * - `sync/changed` carries the whole status, at most every
 *   `STATUS_EVENT_MS` (first change at once, the last one always delivered).
 * - `close()` stops the clients and links; the node closes its store after.
 */
import type { SyncControl } from "../api/createSyncApi";
import { hexKeySchema } from "../crdt/Change";
import type { Signer } from "../crdt/Identity";
import type { Replica } from "../crdt/Replica";
import { rendezvousUrlSchema, type RendezvousSource, type SyncStatus } from "../../src-shared/syncMethods";
import { SyncService, type Admission, type RendezvousHandle } from "../sync/SyncService";
import type { SyncLimits } from "../sync/SyncLimits";
import type { Logger } from "../base/Logger";
import type { RendezvousSetting } from "../store/rendezvousSetting";
import { throttle } from "../base/throttle";

const STATUS_EVENT_MS = 250;

export interface AttachSyncOptions {
  replica: Replica;
  identity: Signer;
  log: Logger;
  setting: RendezvousSetting;
  /** Receives the status to push as `sync/changed`. */
  emit(status: SyncStatus): void;
  /** Dialled in addition to the setting (`musher serve --rendezvous`); reported with source "flag". */
  rendezvous?: readonly string[] | undefined;
  /** Node keys allowed to connect, either direction; none = open mesh. */
  trustedKeys?: readonly string[] | undefined;
  limits?: Partial<SyncLimits>;
  /** Who is served after the key proof (members and invitees). */
  admission?: Admission;
}

export interface NodeSync extends SyncControl {
  readonly service: SyncService;
  close(): Promise<void>;
}

/** Address identity of a rendezvous URL (already validated as ws:// or wss://). */
function addressKey(url: string): string {
  return new URL(url).href;
}

/** One URL per address, the first spelling kept, in order. */
function uniqueAddresses(urls: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const url of urls) if (!out.has(addressKey(url))) out.set(addressKey(url), url);
  return out;
}

export function attachSync(options: AttachSyncOptions): NodeSync {
  const fromHost = (options.rendezvous ?? []).map((u) => {
    const parsed = rendezvousUrlSchema.safeParse(u);
    if (!parsed.success) throw new Error(`rendezvous ${JSON.stringify(u)}: ${parsed.error.issues[0]?.message ?? "invalid"}`);
    return parsed.data;
  });
  for (const key of options.trustedKeys ?? []) {
    if (!hexKeySchema.safeParse(key).success) throw new Error(`trusted key ${JSON.stringify(key)}: a node key is 64 lowercase hex characters`);
  }
  const log = options.log.child({ svc: "sync" });
  const service = new SyncService({
    replica: options.replica,
    identity: options.identity,
    log: options.log,
    ...(options.trustedKeys ? { trustedKeys: options.trustedKeys } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.admission ? { admission: options.admission } : {}),
  });
  // "Unsent" is not persisted by the sync layer: start it from what peers provably hold (their changes cite ours).
  service.noteDelivered(options.replica.ownSeqHeldByOthers());
  const dialing = new Map<string, RendezvousHandle>();
  const redial = (chosen: readonly string[]): void => {
    const wanted = new Map<string, { url: string; source: RendezvousSource }>();
    for (const [key, url] of uniqueAddresses(fromHost)) wanted.set(key, { url, source: "flag" });
    for (const [key, url] of uniqueAddresses(chosen)) if (!wanted.has(key)) wanted.set(key, { url, source: "setting" });
    for (const [key, handle] of dialing) {
      if (wanted.has(key)) continue;
      handle.stop();
      dialing.delete(key);
    }
    for (const [key, { url, source }] of wanted) if (!dialing.has(key)) dialing.set(key, service.connect(url, source));
  };
  const push = throttle(() => options.emit(service.status()), STATUS_EVENT_MS);
  const unsubscribe = service.onStatus(() => push.call());
  redial(options.setting.read());
  if (dialing.size > 0) log.info("sync: dialling rendezvous peers", { urls: [...dialing.values()].map((h) => h.url) });

  return {
    service,
    status: () => service.status(),
    setRendezvous: (urls) => {
      const unique = [...uniqueAddresses(urls).values()];
      options.setting.write(unique);
      redial(unique);
      log.info("sync: rendezvous setting changed", { urls: unique });
      return service.status();
    },
    retryNow: (url) => {
      for (const handle of dialing.values()) if (handle.url === url && handle.retryNow()) log.info("sync: retrying a rendezvous now", { url });
      return service.status();
    },
    close: async () => {
      unsubscribe();
      push.cancel();
      await service.close();
    },
  };
}
