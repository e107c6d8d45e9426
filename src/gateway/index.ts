/** The gateway: WeChat webhook, delivery engine, AI path and answer shaping. */
export { Gateway, type GatewayOptions } from './gateway.js';
export { Webhook, type WebhookRequest, type WebhookResponse, type WebhookEvent, type WebhookAccount, type MessageRoute } from './webhook.js';
export { DeliveryEngine, type DeliveryDecision, type DeliveryTiming, type DeliveryRequest, type HangupSignal } from './delivery-engine.js';
export { QUEUES } from './queues.js';
export type { OutMessage } from './out-message.js';
export type { Answerer } from './message-handler.js';
export type { AiAnswer } from './dify-answerer.js';
export { messageKey, type MessageIdentity } from './message-key.js';
export { splitUtf8, utf8Length } from './split-text.js';
export { shapeAnswer, markdownToText, stripThinking, type ShapedAnswer, type AnswerImage } from './answer-text.js';
export { answerParts, TEXT_LIMIT } from './answer-parts.js';
export type { AiApp, AiFile } from './ai-app.js';
