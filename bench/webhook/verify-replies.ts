import { decryptReply, parseReply, WechatCrypto } from '../../src/wechat/index.js';
import { ACCOUNT } from './fixture.js';
import type { SignedRequest } from './signed-requests.js';

/**
 * Sends `samples` one by one and checks each answer is what WeChat would accept and show: status 200, an
 * encrypted envelope whose MsgSignature verifies, and inside it a text reply to the sender, from the account,
 * with `expectedContent`. Throws on the first mismatch (a benchmark of refusals is worthless).
 */
export async function verifyReplies(url: string, samples: readonly SignedRequest[], expectedContent: string): Promise<void> {
  const crypto = new WechatCrypto({ token: ACCOUNT.token, encodingAESKey: ACCOUNT.encodingAESKey, appId: ACCOUNT.appId });
  for (const sample of samples) {
    const response = await fetch(url + sample.path, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: sample.body });
    const body = await response.text();
    const mismatch = (why: string): Error =>
      new Error(`${url}: ${why} (status ${response.status}, body ${JSON.stringify(body.slice(0, 200))})`);
    if (response.status !== 200) throw mismatch('not 200');
    const envelope = parseReply(body);
    if (envelope.kind !== 'encrypted') throw mismatch(`expected an encrypted reply, got ${envelope.kind}`);
    const reply = parseReply(decryptReply(crypto, envelope).xml);
    if (reply.kind !== 'text') throw mismatch(`expected a text reply inside, got ${reply.kind}`);
    if (reply.toUserName !== sample.openid || reply.fromUserName !== ACCOUNT.userName) {
      throw mismatch(`reply addressed ${reply.fromUserName} → ${reply.toUserName}, expected ${ACCOUNT.userName} → ${sample.openid}`);
    }
    if (reply.content !== expectedContent) {
      throw mismatch(`reply content ${JSON.stringify(reply.content)}, expected ${JSON.stringify(expectedContent)}`);
    }
  }
}
