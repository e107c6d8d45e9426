import type { MediaKind } from './media-library.js';
import type { WechatSimulator } from './simulator.js';
import type { InteractionTrigger, ReceivedCustomerMessage } from './types.js';

/** How a follower's subscription came about (user/info's subscribe_scene, qr_scene, qr_scene_str). */
export interface SceneInfo {
  scene?: string;
  qrScene?: number;
  qrSceneStr?: string;
}

/**
 * What the follower side needs from the platform: register the follower and what it did (opening the 客服 window),
 * store the files it sends, and read the 客服 messages it received. In-process or over the `/_sim/` API.
 */
export interface SimulatorLink {
  /** The platform clock, ms. */
  clock(): Promise<number>;
  addFollower(appId: string): Promise<string>;
  interact(appId: string, openid: string, trigger: InteractionTrigger, scene: SceneInfo): Promise<void>;
  storeMedia(appId: string, kind: MediaKind, bytes: Buffer, filename: string): Promise<{ mediaId: string; url: string }>;
  hasMedia(appId: string, mediaId: string, kinds: readonly MediaKind[]): Promise<boolean>;
  received(openid: string, since: number): Promise<ReceivedCustomerMessage[]>;
  waitForCustomerService(openid: string, count: number, timeoutMs: number, since: number): Promise<ReceivedCustomerMessage[]>;
}

/** A link to a simulator running in this process. */
export function inProcessLink(sim: WechatSimulator): SimulatorLink {
  return {
    clock: () => Promise.resolve(sim.now()),
    addFollower: (appId) => Promise.resolve(sim.addFollower({ appId })),
    interact: (appId, openid, trigger, scene) => Promise.resolve(sim.interact(openid, trigger, { appId, ...scene })),
    storeMedia: (appId, kind, bytes, filename) => Promise.resolve(sim.storeFollowerMedia({ appId, kind, bytes, filename })),
    hasMedia: (appId, mediaId, kinds) => Promise.resolve(sim.hasMedia(appId, mediaId, kinds)),
    received: (openid, since) => Promise.resolve(sim.received(openid, since)),
    waitForCustomerService: (openid, count, timeoutMs, since) => sim.waitForCustomerService(openid, count, timeoutMs, since).catch(() => sim.received(openid, since)),
  };
}

/** A link to a simulator in another process, through its `/_sim/` inspection API. */
export function httpLink(base: string): SimulatorLink {
  const root = base.replace(/\/+$/, '');
  const call = async <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${root}${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }) });
    const json = (await res.json()) as T & { error?: string };
    if (!res.ok) throw new Error(`simulator ${method} ${path}: ${json.error ?? `HTTP ${res.status}`}`);
    return json;
  };
  const received = (openid: string, since: number): Promise<ReceivedCustomerMessage[]> =>
    call<ReceivedCustomerMessage[]>('GET', `/_sim/followers/${encodeURIComponent(openid)}/received${Number.isFinite(since) ? `?since=${since}` : ''}`);
  return {
    clock: async () => (await call<{ now: number }>('GET', '/_sim/clock')).now,
    addFollower: async (appId) => (await call<{ openid: string }>('POST', '/_sim/followers', { appId })).openid,
    interact: async (appId, openid, trigger, scene) => {
      await call('POST', `/_sim/followers/${encodeURIComponent(openid)}/interactions`, { appId, trigger, ...scene });
    },
    storeMedia: (appId, kind, bytes, filename) => call('POST', '/_sim/media', { appId, kind, filename, base64: bytes.toString('base64') }),
    hasMedia: async (appId, mediaId, kinds) =>
      (await call<{ exists: boolean }>('GET', `/_sim/media/${encodeURIComponent(appId)}/${encodeURIComponent(mediaId)}?kinds=${kinds.join(',')}`)).exists,
    received,
    waitForCustomerService: async (openid, count, timeoutMs, since) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const got = await received(openid, since);
        if (got.length >= count || Date.now() >= deadline) return got;
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}
