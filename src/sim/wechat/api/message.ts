import { refuse } from '../api-errors.js';
import type { ApiRoute } from '../api-router.js';
import { validateCustomMessage } from '../custom-message.js';

/** 客服 message send and typing (reference §4). */
export const messageRoutes: readonly ApiRoute[] = [
  {
    method: 'POST',
    path: '/cgi-bin/message/custom/send',
    auth: 'token',
    verifiedOnly: true,
    handler(call) {
      const a = call.account;
      const body = call.json();
      const msg = validateCustomMessage(body, {
        mediaSendable: (id, kinds) => a.media.isSendable(id, call.now, kinds),
        articleExists: (id) => a.publishes.hasArticle(id),
      });
      const follower = a.follower(msg.touser);
      if (!follower) refuse(40003);
      follower.spendSend(call.now);
      const received = {
        at: call.now,
        appId: a.account.appId,
        openid: follower.openid,
        msgtype: msg.msgtype,
        payload: msg.payload,
        body,
        ...(msg.msgtype === 'text' ? { text: msg.payload.content as string } : {}),
      };
      follower.received.push(received);
      call.state.events.emit('received', received);
      return { errcode: 0, errmsg: 'ok' };
    },
  },
  {
    method: 'POST',
    path: '/cgi-bin/message/custom/typing',
    auth: 'token',
    verifiedOnly: true,
    handler(call) {
      const body = call.json();
      const command = body.command;
      if (command !== 'Typing' && command !== 'CancelTyping') refuse(45072);
      const follower = call.account.follower(body.touser);
      if (!follower) refuse(40003);
      follower.typing(command, call.now);
      return { errcode: 0, errmsg: 'ok' };
    },
  },
];
