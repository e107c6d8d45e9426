/** The fields that identify a WeChat message or event across WeChat's re-deliveries. */
export interface MessageIdentity {
  fromUserName: string;
  createTime: number;
  msgId?: string | undefined;
  event?: string | undefined;
  eventKey?: string | undefined;
}

/**
 * The dedupe key of a message: sender + MsgId for messages (MsgId alone collides across users), sender +
 * CreateTime + Event + EventKey for events, which carry no MsgId. Identical on every delivery of one message.
 */
export function messageKey(m: MessageIdentity): string {
  if (m.msgId) return `${m.fromUserName}:m:${m.msgId}`;
  return `${m.fromUserName}:e:${m.createTime}:${(m.event ?? '').toLowerCase()}:${m.eventKey ?? ''}`;
}
