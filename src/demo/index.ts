/** `mpgate demo`: the gateway, the WeChat and Dify simulators and a WeChat-like chat page, in one process. */
export { startDemo, DemoStartError, DEFAULT_DEMO_PORT, DEFAULT_DEMO_DATA_DIR, DEMO_ACCOUNT_NAME, type Demo, type DemoOptions } from './demo.js';
export { DemoControls, type DemoSettings, type SettingsChange } from './demo-controls.js';
export { FollowerSession, type FollowerInput } from './follower-session.js';
export { ChatTimeline } from './chat-timeline.js';
export type { ChatItem, FollowerItem, AccountItem, NoticeItem, ShownMessage, Arrival, DeliveryMark, LogEntry, TimelineChanges } from './chat-items.js';
export type { DemoState } from './demo-routes.js';
export { demoScript, LONG_ANSWER, DEMO_PROMPTS } from './demo-answers.js';
