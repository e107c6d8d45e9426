export { WeChatApiError, WeChatTransportError } from './errors.js';
