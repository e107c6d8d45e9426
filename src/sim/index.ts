export * from './wechat/index.js';
export * from './dify/index.js';
