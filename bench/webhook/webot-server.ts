/**
 * The incumbent: node-webot's `wechat` middleware (npm `wechat` 2.1, with its own safe-mode support) on a bare
 * `node:http` server, doing what mpgate does on the realistic path: verify, decrypt, parse, ask Dify (blocking
 * `POST /chat-messages` through fetch, the follower's conversation kept in memory), encrypted passive reply.
 * The host is as light as it gets (no express): only the query parsing the middleware needs.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import wechat, { type WechatRequest, type WechatResponse } from 'wechat';
import { serveChild } from './child-server.js';
import { ACCOUNT, DIFY_API_KEY } from './fixture.js';

const { values } = parseArgs({ options: { 'dify-base': { type: 'string', default: 'http://127.0.0.1:9/v1' } } });

serveChild(async () => {
  const difyUrl = `${values['dify-base']}/chat-messages`;
  const conversations = new Map<string, string>();
  let replied = 0;
  let failed = 0;

  const askDify = async (user: string, query: string): Promise<string> => {
    const conversationId = conversations.get(user);
    const response = await fetch(difyUrl, {
      method: 'POST',
      headers: { authorization: `Bearer ${DIFY_API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ inputs: {}, query, response_mode: 'blocking', user, ...(conversationId && { conversation_id: conversationId }) }),
    });
    const body = (await response.json()) as { answer?: string; conversation_id?: string; message?: string };
    if (!response.ok || typeof body.answer !== 'string') throw new Error(`Dify answered ${response.status}: ${body.message ?? ''}`);
    if (body.conversation_id) conversations.set(user, body.conversation_id);
    return body.answer;
  };

  const middleware = wechat({ token: ACCOUNT.token, appid: ACCOUNT.appId, encodingAESKey: ACCOUNT.encodingAESKey }, (req, res) => {
    const message = req.weixin ?? {};
    askDify(message.FromUserName ?? '', message.Content ?? '').then(
      (answer) => {
        replied++;
        res.reply(answer);
      },
      () => {
        failed++;
        res.writeHead(500);
        res.end();
      },
    );
  });

  const server = createServer((incoming, outgoing) => {
    const req = incoming as WechatRequest;
    const res = outgoing as WechatResponse;
    req.query = Object.fromEntries(new URL(req.url ?? '/', 'http://localhost').searchParams);
    middleware(req, res, () => {
      failed++;
      res.writeHead(500);
      res.end();
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stats: () => ({ replied, failed }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve()).closeAllConnections()),
  };
});
