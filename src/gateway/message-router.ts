import type { Logger } from 'pino';
import type { Owner, Store } from '../store/store.js';
import type { InboundEvent, InboundMessage } from '../wechat/inbound-message.js';
import { queuedMessages } from './inbox-queue.js';
import { actionRoute, clickAction, welcomeRoute } from './event-actions.js';
import type { FollowerFacts } from './follower-facts.js';
import {
  baseFacts,
  fileQuery,
  linkFacts,
  linkQuery,
  locationFacts,
  locationQuery,
  videoQuery,
  type MessageFacts,
} from './inbound-query.js';
import type { OutMessage } from './out-message.js';
import type { PendingAnswers } from './pending-answers.js';
import { TEXT_LIMIT } from './answer-parts.js';
import { publishResultFromEvent, recordPublishResult } from '../publisher/publish/publish-result.js';
import { utf8Length } from './split-text.js';
import type { MessageRoute, WebhookAccount } from './webhook.js';

const text = (t: string): OutMessage => ({ type: 'text', text: t });
const silent: MessageRoute = { kind: 'reply', message: undefined };
const ask = (query: string, inputs: MessageFacts, spoken?: boolean): MessageRoute => ({
  kind: 'job',
  input: { type: 'query', query, inputs, ...(spoken && { spoken }) },
});

export interface MessageRouterOptions {
  /** Where the QR scene and the last known place are remembered; without it they are not. */
  facts?: FollowerFacts | undefined;
  logger?: Logger | undefined;
}

/**
 * Decides what each verified message needs, without network I/O (media is fetched by the worker). Every message
 * type that carries something to say goes to the AI through the ordered inbox: text, image (as a file when the app
 * takes images), voice (WeChat's recognition, or transcribed by the worker), video, location, link; reset commands
 * too, so they apply after the questions before them. The fetch keyword is answered at once from the pending
 * answers. Events follow `accounts[].events`: the welcome, menu clicks and QR scans as configured; an unfollow drops
 * everything kept about the follower; PUBLISHJOBFINISH is recorded for the publisher; every other event, and
 * every unconfigured one, ends with `success`, silently. Unknown message types get the `unsupported` text.
 */
export class MessageRouter {
  readonly #store: Store;
  readonly #pending: PendingAnswers;
  readonly #o: MessageRouterOptions;

  constructor(store: Store, pending: PendingAnswers, options: MessageRouterOptions = {}) {
    this.#store = store;
    this.#pending = pending;
    this.#o = options;
  }

  /** Routes one message. */
  async route(account: WebhookAccount, message: InboundMessage): Promise<MessageRoute> {
    const owner = { account: account.config.id, openid: message.fromUserName };
    const facts = baseFacts(message);
    const queries = account.config.queries;
    switch (message.kind) {
      case 'text': {
        const content = message.content.trim();
        if (account.fetchKeywords.has(content)) return { kind: 'reply', message: await this.#fetch(account, owner) };
        if (account.resetCommands.has(content)) return { kind: 'job', input: { type: 'reset' } };
        return ask(message.content, facts);
      }
      case 'image':
        return { kind: 'job', input: { type: 'image', mediaId: message.mediaId, picUrl: message.picUrl, inputs: { ...facts, pic_url: message.picUrl } } };
      case 'voice': {
        const recognition = message.recognition?.trim();
        if (recognition) return ask(recognition, facts, true);
        return { kind: 'job', input: { type: 'voice', mediaId: message.mediaId, format: message.format, inputs: facts } };
      }
      case 'video':
      case 'shortvideo':
        return ask(videoQuery(queries), facts);
      case 'location': {
        const place = locationFacts(message);
        await this.#o.facts?.remember(owner, place);
        return ask(locationQuery(message, queries), { ...facts, ...place });
      }
      case 'link':
        return ask(linkQuery(message, queries), { ...facts, ...linkFacts(message) });
      case 'event':
        return this.#event(account, owner, message, facts);
      case 'unknown': {
        if (message.event !== undefined) return silent; // an event this version does not know
        const query = fileQuery(message, queries);
        return query ? ask(query, facts) : { kind: 'reply', message: text(account.text('unsupported')) };
      }
    }
  }

  async #event(account: WebhookAccount, owner: Owner, event: InboundEvent, facts: MessageFacts): Promise<MessageRoute> {
    const events = account.config.events;
    switch (event.event) {
      case 'subscribe': {
        // A follow through a parameter QR code: remember where the follower came from, for every later AI call.
        if (event.scene) await this.#o.facts?.remember(owner, { scene: event.scene });
        const withScene = event.scene ? { ...facts, scene: event.scene, event_key: event.eventKey } : facts;
        return welcomeRoute(account, withScene, event.scene);
      }
      case 'unsubscribe':
        // WeChat asks to delete the follower's data: conversation, pending answers, facts, queued work.
        await this.#store.purgeOwner(owner);
        return silent;
      case 'scan': {
        if (event.eventKey) await this.#o.facts?.remember(owner, { scene: event.eventKey });
        return actionRoute(events.scan, account, { ...facts, scene: event.eventKey, event_key: event.eventKey }, { scene: event.eventKey });
      }
      case 'click':
        return actionRoute(clickAction(account, event.eventKey), account, { ...facts, event_key: event.eventKey }, { key: event.eventKey });
      case 'scancode_push':
      case 'scancode_waitmsg':
        return actionRoute(clickAction(account, event.eventKey), account, { ...facts, event_key: event.eventKey }, {
          key: event.eventKey,
          result: event.scanResult,
        });
      case 'location': {
        // A new position makes the place name of an earlier location message stale.
        const place: MessageFacts = { location_label: '' };
        if (event.latitude !== undefined) place.latitude = String(event.latitude);
        if (event.longitude !== undefined) place.longitude = String(event.longitude);
        await this.#o.facts?.remember(owner, place);
        return silent;
      }
      case 'publishjobfinish': {
        // Recorded for the publisher (`article publish --wait`), which reads it instead of polling freepublish/get.
        if (event.publishStatus === undefined) {
          this.#o.logger?.warn({ account: owner.account, publishId: event.publishId }, 'PUBLISHJOBFINISH without publish_status; not recorded');
          return silent;
        }
        await recordPublishResult(this.#store, account.config.appId, publishResultFromEvent(event));
        this.#o.logger?.info({ account: owner.account, publishId: event.publishId, status: event.publishStatus }, 'publish result recorded');
        return silent;
      }
      default:
        // VIEW, TEMPLATESENDJOBFINISH, MASSSENDJOBFINISH, kf_*, subscribe_msg_*, pic_*, location_select…
        return silent;
    }
  }

  async #fetch(account: WebhookAccount, owner: Owner): Promise<OutMessage> {
    const taken = await this.#pending.take(owner);
    if (!taken) {
      const working = (await queuedMessages(this.#store, owner)) > 0;
      return text(account.text(working ? 'stillWorking' : 'nothingPending'));
    }
    if (taken.remaining === 0 || taken.part.type !== 'text') return taken.part;
    const more = `\n\n${account.text('moreAvailable')}`;
    return utf8Length(taken.part.text + more) <= TEXT_LIMIT ? text(taken.part.text + more) : taken.part;
  }
}
