import { DraftBox } from './draft-box.js';
import { FollowerState } from './follower-state.js';
import { newAppId, newAppSecret, newCallbackToken, newEncodingAESKey, newGhId, newOpenid, newOpenidPrefix } from './ids.js';
import { MediaLibrary, type MediaKind } from './media-library.js';
import { PublishJobs } from './publish-jobs.js';
import type { CallbackMode, WechatSimAccount, SimAccountInit, WechatSimCapabilities } from './types.js';

const APPID = /^wx[0-9a-f]{16}$/;
const AES_KEY = /^[A-Za-z0-9]{43}$/;
const GH_ID = /^gh_[0-9a-f]{12}$/;

/** Checks an account's init values against the formats WeChat uses; throws naming the bad field. */
function checkInit(init: SimAccountInit): void {
  if (init.appId !== undefined && !APPID.test(init.appId)) throw new TypeError(`SimAccountInit.appId must look like wx + 16 hex, got "${init.appId}"`);
  if (init.encodingAESKey !== undefined && !AES_KEY.test(init.encodingAESKey)) throw new TypeError('SimAccountInit.encodingAESKey must be exactly 43 characters of [A-Za-z0-9]');
  if (init.ghId !== undefined && !GH_ID.test(init.ghId)) throw new TypeError(`SimAccountInit.ghId must look like gh_ + 12 hex, got "${init.ghId}"`);
  if (init.token !== undefined && !/^[A-Za-z0-9]{3,32}$/.test(init.token)) throw new TypeError('SimAccountInit.token must be 3–32 letters or digits');
}

/** Everything the platform keeps for one account. */
export class AccountState {
  readonly account: WechatSimAccount;
  capabilities: WechatSimCapabilities;
  callbackUrl: string | undefined;
  callbackMode: CallbackMode;
  /** Openids of this account share a prefix, like real ones. */
  readonly openidPrefix = newOpenidPrefix();
  /** The 群发助手 openid PUBLISHJOBFINISH comes from. */
  readonly mphelperOpenid: string;
  readonly followers = new Map<string, FollowerState>();
  readonly media: MediaLibrary;
  readonly drafts = new DraftBox();
  readonly publishes = new PublishJobs();
  menu: { button: Record<string, unknown>[]; menuid: number } | undefined;
  draftBoxOpen = true;
  clearQuotaCalls: number[] = [];
  private readonly init: SimAccountInit;

  constructor(init: SimAccountInit, options: { tempImageLimitBytes: number; materialLimits?: Partial<Record<MediaKind, number>>; callbackUrl?: string | undefined; now: number }) {
    checkInit(init);
    this.init = init;
    this.account = {
      appId: init.appId ?? newAppId(),
      appSecret: init.appSecret ?? newAppSecret(),
      token: init.token ?? newCallbackToken(),
      encodingAESKey: init.encodingAESKey ?? newEncodingAESKey(),
      ghId: init.ghId ?? newGhId(),
      verified: init.verified ?? true,
    };
    this.capabilities = this.initialCapabilities();
    this.callbackUrl = init.callbackUrl ?? options.callbackUrl;
    this.callbackMode = init.callbackMode ?? 'safe';
    this.mphelperOpenid = newOpenid(this.openidPrefix);
    this.media = new MediaLibrary(options);
    const followers = init.followers;
    if (typeof followers === 'number') for (let i = 0; i < followers; i++) this.addFollower(undefined, options.now);
    else for (const openid of followers ?? []) this.addFollower(openid, options.now);
  }

  /** Changes capabilities; `verified` is mirrored on the account object. */
  setCapabilities(change: Partial<WechatSimCapabilities>): void {
    this.capabilities = { ...this.capabilities, ...change };
    this.account.verified = this.capabilities.verified;
  }

  follower(openid: unknown): FollowerState | undefined {
    return typeof openid === 'string' ? this.followers.get(openid) : undefined;
  }

  /** Registers a follower (subscribed now); an existing one is returned as is. */
  addFollower(openid: string | undefined, now: number): FollowerState {
    const id = openid ?? newOpenid(this.openidPrefix);
    if (!/^[A-Za-z0-9_-]{6,64}$/.test(id)) throw new TypeError(`openid "${id}" is not a plausible openid ([A-Za-z0-9_-], 28 chars for real ones)`);
    let f = this.followers.get(id);
    if (!f) {
      f = new FollowerState(id, now);
      this.followers.set(id, f);
    }
    return f;
  }

  /** Back to the state right after creation: same identity and followers, nothing else. */
  reset(): void {
    this.capabilities = this.initialCapabilities();
    this.account.verified = this.capabilities.verified;
    for (const f of this.followers.values()) f.resetActivity();
    this.media.clear();
    this.drafts.clear();
    this.publishes.clear();
    this.menu = undefined;
    this.draftBoxOpen = true;
    this.clearQuotaCalls = [];
  }

  private initialCapabilities(): WechatSimCapabilities {
    return { verified: this.init.verified ?? true, ipWhitelist: this.init.ipWhitelist ?? false, publishStatus: 0 };
  }
}
