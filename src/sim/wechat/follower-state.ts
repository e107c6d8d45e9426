import { refuse } from './api-errors.js';
import type { InteractionTrigger, ReceivedCustomerMessage } from './types.js';

/** A user message opens 5 sends for 48 h; click/follow/scan open 3 sends for 1 minute (reference §4). */
export const MESSAGE_WINDOW_MS = 48 * 3600_000;
export const MESSAGE_QUOTA = 5;
export const EVENT_WINDOW_MS = 60_000;
export const EVENT_QUOTA = 3;
/** Typing needs an interaction in the last 30 s and lasts 15 s. */
export const TYPING_INTERACTION_MS = 30_000;
export const TYPING_DURATION_MS = 15_000;

interface Grant {
  readonly expiresAt: number;
  remaining: number;
}

/** How the follower came to follow, as `user/info` reports it. */
export interface SubscribeInfo {
  scene: string;
  qrScene: number;
  qrSceneStr: string;
}

/** One follower of one account: subscription, 客服 window and quota, typing state, and what it received. */
export class FollowerState {
  readonly openid: string;
  subscribed = true;
  /** Unix seconds. */
  subscribeTime: number;
  subscribe: SubscribeInfo = { scene: 'ADD_SCENE_SEARCH', qrScene: 0, qrSceneStr: '' };
  readonly received: ReceivedCustomerMessage[] = [];
  /** The 48 h grant of the latest user message (replaced, not added to, by the next message). */
  private messageGrant: Grant | undefined;
  /** The 1-minute grant of the latest click/follow/scan. */
  private eventGrant: Grant | undefined;
  private lastInteractionAt: number | undefined;
  private typingUntil = 0;

  constructor(openid: string, now: number) {
    this.openid = openid;
    this.subscribeTime = Math.floor(now / 1000);
  }

  /** Records something the follower did and opens the window it grants. */
  interact(trigger: InteractionTrigger, now: number, scene?: Partial<SubscribeInfo>): void {
    if (trigger === 'unsubscribe') {
      this.subscribed = false;
      this.messageGrant = undefined;
      this.eventGrant = undefined;
      this.typingUntil = 0;
      return;
    }
    if (trigger === 'subscribe') {
      if (!this.subscribed) this.subscribeTime = Math.floor(now / 1000);
      this.subscribed = true;
      this.subscribe = { ...this.subscribe, ...scene };
    }
    this.lastInteractionAt = now;
    if (trigger === 'message') this.messageGrant = { expiresAt: now + MESSAGE_WINDOW_MS, remaining: MESSAGE_QUOTA };
    else if (trigger === 'click' || trigger === 'subscribe' || trigger === 'scan') {
      this.eventGrant = { expiresAt: now + EVENT_WINDOW_MS, remaining: EVENT_QUOTA };
    }
  }

  /** Spends one 客服 send: 45015 outside every window (or unsubscribed), 45047 when the open windows are used up. */
  spendSend(now: number): void {
    const open = this.openGrants(now);
    if (open.length === 0) refuse(45015);
    // Spend the grant that expires first, so a click's short grant is not wasted while a 48 h grant waits.
    const usable = open.filter((g) => g.remaining > 0).sort((a, b) => a.expiresAt - b.expiresAt)[0];
    if (!usable) refuse(45047);
    usable.remaining--;
    this.typingUntil = 0;
  }

  /** `custom/typing`: 45015 outside a window, 45080 no interaction in 30 s, 45081 already typing. */
  typing(command: 'Typing' | 'CancelTyping', now: number): void {
    if (this.openGrants(now).length === 0) refuse(45015);
    if (command === 'CancelTyping') {
      this.typingUntil = 0;
      return;
    }
    if (this.lastInteractionAt === undefined || now - this.lastInteractionAt > TYPING_INTERACTION_MS) refuse(45080);
    if (now < this.typingUntil) refuse(45081);
    this.typingUntil = now + TYPING_DURATION_MS;
  }

  /** Whether the typing indicator is showing. */
  isTyping(now: number): boolean {
    return now < this.typingUntil;
  }

  /** The follower's 客服 budget right now (for inspection). */
  window(now: number): { open: boolean; remaining: number; expiresAt: number | undefined } {
    const open = this.openGrants(now);
    return {
      open: open.length > 0,
      remaining: open.reduce((n, g) => n + g.remaining, 0),
      expiresAt: open.length ? Math.max(...open.map((g) => g.expiresAt)) : undefined,
    };
  }

  /** Forgets windows, typing and received messages; keeps the subscription. */
  resetActivity(): void {
    this.messageGrant = undefined;
    this.eventGrant = undefined;
    this.lastInteractionAt = undefined;
    this.typingUntil = 0;
    this.received.length = 0;
  }

  private openGrants(now: number): Grant[] {
    if (!this.subscribed) return [];
    return [this.messageGrant, this.eventGrant].filter((g): g is Grant => g !== undefined && now < g.expiresAt);
  }
}
