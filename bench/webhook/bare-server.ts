/**
 * The baseline: a bare `node:http` server that reads the request body and answers a fixed body, the size and
 * type of an encrypted passive reply. No routing, no parsing, no crypto: the ceiling of one Node process here.
 * `--busy-us N` spins N µs of CPU before each answer: a server as slow as N µs of work, for calibration (what
 * the socket and the kernel cost at that request rate, with no allocation, no crypto, no store).
 */
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import type { AddressInfo } from 'node:net';
import { buildEncryptedReply, buildTextReply, WechatCrypto } from '../../src/wechat/index.js';
import { serveChild } from './child-server.js';
import { ACCOUNT, INSTANT_ANSWER } from './fixture.js';
import { followerOpenid } from './signed-requests.js';

const busyUs = Number(parseArgs({ options: { 'busy-us': { type: 'string', default: '0' } } }).values['busy-us']);

/** Burns `us` µs of CPU on the event loop. */
function spin(us: number): void {
  const until = performance.now() + us / 1000;
  while (performance.now() < until);
}

serveChild(async () => {
  const crypto = new WechatCrypto({ token: ACCOUNT.token, encodingAESKey: ACCOUNT.encodingAESKey, appId: ACCOUNT.appId });
  const now = Math.floor(Date.now() / 1000);
  const reply = buildTextReply({ toUserName: followerOpenid(0), fromUserName: ACCOUNT.userName, createTime: now }, INSTANT_ANSWER);
  const body = Buffer.from(buildEncryptedReply(crypto, reply, now, '1000000000'));
  let answered = 0;
  const server = createServer((req, res) => {
    req.on('data', () => undefined);
    req.on('end', () => {
      answered++;
      if (busyUs > 0) spin(busyUs);
      res.writeHead(200, { 'content-type': 'application/xml', 'content-length': body.length });
      res.end(body);
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stats: () => ({ answered }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve()).closeAllConnections()),
  };
});
