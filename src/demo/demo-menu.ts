import type { EventAction } from '../config/account-schema.js';
import { DEMO_PROMPTS } from './demo-answers.js';

/** A leaf of the bottom menu: a `click` button with its key, and what the gateway does on the click. */
export interface MenuItem {
  name: string;
  key: string;
  action: EventAction;
}

/** A button of the bottom menu: a click item, or a sub-menu of up to 5 (WeChat's limits: 3 buttons × 5 items). */
export type MenuButton = MenuItem | { name: string; sub: MenuItem[] };

/**
 * The demo account's bottom menu. Every item is a real WeChat `click` button: the follower's tap reaches the
 * gateway as a CLICK event, and the gateway's `events.click` config (built from this list) decides what happens.
 */
export const DEMO_MENU: readonly MenuButton[] = [
  {
    name: '试一试',
    sub: [
      { name: DEMO_PROMPTS.long, key: 'ASK_LONG', action: { action: 'ask', query: DEMO_PROMPTS.long } },
      { name: DEMO_PROMPTS.picture, key: 'ASK_PICTURE', action: { action: 'ask', query: DEMO_PROMPTS.picture } },
      { name: DEMO_PROMPTS.think, key: 'ASK_THINK', action: { action: 'ask', query: `${DEMO_PROMPTS.think}：为什么要等 5 秒？` } },
      { name: DEMO_PROMPTS.hello, key: 'ASK_HELLO', action: { action: 'ask', query: DEMO_PROMPTS.hello } },
    ],
  },
  { name: '新对话', key: 'RESET', action: { action: 'reset' } },
  {
    name: '关于',
    key: 'ABOUT',
    action: {
      action: 'reply',
      text: 'mpgate 把 Dify 应用接入微信公众号：用满 5 秒窗口被动回复，来不及就用客服消息推送，再不行就留给粉丝回复关键词领取。这条回复来自菜单的 reply 动作，没有调用 AI。',
    },
  },
];

/** The gateway's `events.click` config for the menu: key → action. */
export function menuClickActions(menu: readonly MenuButton[] = DEMO_MENU): Record<string, EventAction> {
  const items = menu.flatMap((b) => ('sub' in b ? b.sub : [b]));
  return Object.fromEntries(items.map((i) => [i.key, i.action]));
}
