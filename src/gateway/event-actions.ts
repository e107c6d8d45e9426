/**
 * What the configured events do (`accounts[].events`): the welcome of a new follower, a menu click, a QR scan.
 * Each becomes a route: an inline reply, or a job through the follower's ordered inbox. Pure: no I/O.
 */
import type { EventAction } from '../config/account-schema.js';
import { fillTemplate, type MessageFacts } from './inbound-query.js';
import type { MessageRoute, WebhookAccount } from './webhook.js';

/** The values an action's texts may use: `{key}` (menu key), `{scene}` (QR scene), `{result}` (menu scan result). */
export interface EventValues {
  key?: string | undefined;
  scene?: string | undefined;
  result?: string | undefined;
}

const silent: MessageRoute = { kind: 'reply', message: undefined };

/** The welcome of a new follower (`events.welcome`): the configured text, Dify's opening statement, or an AI answer. */
export function welcomeRoute(account: WebhookAccount, facts: MessageFacts, scene: string | undefined): MessageRoute {
  switch (account.config.events.welcome) {
    case 'dify':
      return { kind: 'job', input: { type: 'welcome', inputs: facts } };
    case 'ai':
      return { kind: 'job', input: { type: 'query', query: fillTemplate(account.config.events.welcomeQuery, { scene: scene ?? '' }), inputs: facts } };
    case 'text': {
      const welcome = account.text('welcome');
      return welcome ? { kind: 'reply', message: { type: 'text', text: welcome } } : silent;
    }
  }
}

/** The route for a configured action; an unconfigured event (undefined) ends with `success`, silently. */
export function actionRoute(
  action: EventAction | undefined,
  account: WebhookAccount,
  facts: MessageFacts,
  values: EventValues,
): MessageRoute {
  const fill = (template: string): string =>
    fillTemplate(template, { key: values.key ?? '', scene: values.scene ?? '', result: values.result ?? '' });
  switch (action?.action) {
    case undefined:
    case 'ignore':
      return silent;
    case 'ask':
      return { kind: 'job', input: { type: 'query', query: fill(action.query), inputs: facts } };
    case 'reply':
      return { kind: 'reply', message: { type: 'text', text: fill(action.text) } };
    case 'reset':
      return { kind: 'job', input: { type: 'reset' } };
    case 'welcome':
      return welcomeRoute(account, facts, values.scene);
  }
}

/** The configured action for a menu key; `Object.hasOwn` so that a key like `constructor` is never found by accident. */
export function clickAction(account: WebhookAccount, key: string): EventAction | undefined {
  const click = account.config.events.click;
  return Object.hasOwn(click, key) ? click[key] : undefined;
}
