/** mpgate's library API. Each capability lives in its own folder and is re-exported here. */
export { VERSION } from './version.js';
export { MpgateError } from './errors.js';
export * from './wechat/index.js';
export * from './wechat-api/index.js';
export * from './dify/index.js';
export * from './store/index.js';
export * from './config/index.js';
export * from './log/index.js';
export * from './sim/index.js';
export * from './publisher/index.js';
export * from './backup/index.js';
export * from './gateway/index.js';
export * from './server/index.js';
