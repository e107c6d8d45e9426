import type { AccountConfig } from './account-schema.js';
import { redactConfig } from './redact-config.js';
import type { MpgateConfig, StoreSettings } from './schema.js';

/** A few human-readable lines describing a configuration, secrets redacted (for `config check` and start-up logs). */
export function summarizeConfig(config: MpgateConfig): string[] {
  const safe = redactConfig(config);
  const { server, wechat, delivery, logging, privacy } = safe;
  return [
    `server:   http://${server.host}:${server.port} (tool API and MCP ${server.adminToken === undefined ? 'off: no adminToken' : 'on, admin token set'})`,
    `store:    ${describeStore(safe.store)}`,
    `wechat:   ${wechat.apiBase} (${wechat.tokenEndpoint})`,
    `delivery: ${delivery.attempts} deliveries of ${delivery.timeoutMs} ms, answering ${delivery.safetyMarginMs} ms before each deadline; answers kept ${delivery.pendingTtlSeconds} s`,
    `privacy:  follower data kept ${privacy.retentionDays} days; message content ${logging.content ? 'IS logged' : 'not logged'}; log level ${logging.level}`,
    ...safe.accounts.map(describeAccount),
  ];
}

function describeStore(store: StoreSettings): string {
  if (store.driver === 'sqlite') return `sqlite ${store.path}`;
  if (store.driver === 'redis') return `redis ${store.url}`;
  return 'memory (nothing survives a restart)';
}

function describeAccount(account: AccountConfig): string {
  const push = account.appSecret === undefined ? 'no push (no appSecret)' : `push ${account.verified === 'auto' ? 'auto-detected' : account.verified ? 'on' : 'off'}`;
  return `account ${account.id}: /wechat/${account.id}, ${account.appId}, ${account.mode} mode, ${push}, Dify ${account.ai.app} app at ${account.ai.baseUrl}`;
}
