/** The WeChat platform simulator: API server, follower side, inspection API. */
export { startWechatSimulator, WechatSimulator } from './simulator.js';
export type { WechatPlatformCallback, WechatPlatformCallbackDelivery, WechatSimFollower, WechatSimPublishJob } from './simulator.js';
export type {
  InteractionTrigger,
  ReceivedCustomerMessage,
  SimAccountInit,
  WechatSimAccount,
  WechatSimCall,
  WechatSimCapabilities,
  WechatSimFault,
  WechatSimPublishOutcome,
  WechatSimulatorOptions,
} from './types.js';
export { sendAsFollower, verifyServer, SERVICE_UNAVAILABLE_NOTICE } from './follower.js';
export type { FollowerAccount, FollowerDelivery, FollowerView, FollowerCustomerServiceMessage, SendAsFollowerOptions, VerifyServerResult } from './follower.js';
export { buildFollowerMessage } from './follower-message.js';
export type { FollowerMessage, BuiltFollowerMessage } from './follower-message.js';
