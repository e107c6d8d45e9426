import type { InboundMessage, SubscribeMsgItem } from './inbound-message.js';
import { readXmlDocument, type XmlBody, type XmlBodyOptions } from './xml-body.js';
import {
  childOf,
  listOf,
  numberOf,
  parseDecimal,
  recordsOf,
  requiredText,
  requiredUnsigned,
  stringOf,
  textOf,
} from './xml-fields.js';
import type { XmlFields } from './xml-tree.js';

/** How the callback body is protected, from its shape (§1.4 of the platform reference). */
export type CallbackMode = 'plain' | 'compatible' | 'safe';

/** The outer layer of a callback body, before any decryption. */
export interface CallbackEnvelope {
  /** `safe`: only ToUserName + Encrypt; `compatible`: plaintext fields plus Encrypt; `plain`: no Encrypt. */
  mode: CallbackMode;
  toUserName: string;
  /** The Encrypt value exactly as sent (it is what msg_signature covers). */
  encrypt: string | undefined;
  /** The plaintext fields in plain and compatible mode (pass them to messageFromFields); undefined in safe mode. */
  plaintextFields: XmlFields | undefined;
}

/**
 * Parses a callback message or event (plaintext XML: a plain-mode body or a decrypted payload).
 * Throws WechatXmlError for refused or malformed bodies; unknown MsgTypes/Events give `kind: 'unknown'`.
 */
export function parseMessage(xml: XmlBody, options?: XmlBodyOptions): InboundMessage {
  return messageFromFields(readXmlDocument(xml, options));
}

/** Parses the outer callback body: safe-mode envelope, compatible mode or plain mode. */
export function parseEnvelope(body: XmlBody, options?: XmlBodyOptions): CallbackEnvelope {
  const fields = readXmlDocument(body, options);
  const toUserName = requiredText(fields, 'ToUserName');
  const encrypt = textOf(fields, 'Encrypt');
  const mode: CallbackMode = encrypt === undefined ? 'plain' : Object.hasOwn(fields, 'MsgType') ? 'compatible' : 'safe';
  return { mode, toUserName, encrypt, plaintextFields: mode === 'safe' ? undefined : fields };
}

/**
 * Turns the field map of a callback into its typed variant (for callers that already parsed the body).
 * Variants are built as whole object literals: object spread costs ~100× more here and this is the webhook hot path.
 */
export function messageFromFields(fields: XmlFields): InboundMessage {
  const toUserName = requiredText(fields, 'ToUserName');
  const fromUserName = requiredText(fields, 'FromUserName');
  const createTime = requiredUnsigned(fields, 'CreateTime');
  const msgType = requiredText(fields, 'MsgType');
  const raw = fields;
  const type = msgType.trim().toLowerCase();
  if (type === 'event') return eventFromFields(fields, toUserName, fromUserName, createTime, msgType);
  const msgId = msgIdOf(fields);
  const msgDataId = textOf(fields, 'MsgDataId');
  const idx = numberOf(fields, 'Idx');
  switch (type) {
    case 'text':
      return {
        kind: 'text', toUserName, fromUserName, createTime, msgType, raw, msgId, msgDataId, idx,
        content: stringOf(fields, 'Content'),
        bizMsgMenuId: textOf(fields, 'bizmsgmenuid'),
      };
    case 'image':
      return {
        kind: 'image', toUserName, fromUserName, createTime, msgType, raw, msgId, msgDataId, idx,
        picUrl: stringOf(fields, 'PicUrl'),
        mediaId: stringOf(fields, 'MediaId'),
      };
    case 'voice':
      return {
        kind: 'voice', toUserName, fromUserName, createTime, msgType, raw, msgId, msgDataId, idx,
        mediaId: stringOf(fields, 'MediaId'),
        format: stringOf(fields, 'Format'),
        mediaId16K: textOf(fields, 'MediaId16K'),
        recognition: textOf(fields, 'Recognition'),
      };
    case 'video':
    case 'shortvideo':
      return {
        kind: type, toUserName, fromUserName, createTime, msgType, raw, msgId, msgDataId, idx,
        mediaId: stringOf(fields, 'MediaId'),
        thumbMediaId: stringOf(fields, 'ThumbMediaId'),
      };
    case 'location':
      return {
        kind: 'location', toUserName, fromUserName, createTime, msgType, raw, msgId, msgDataId, idx,
        locationX: numberOf(fields, 'Location_X'),
        locationY: numberOf(fields, 'Location_Y'),
        scale: numberOf(fields, 'Scale'),
        label: stringOf(fields, 'Label'),
      };
    case 'link':
      return {
        kind: 'link', toUserName, fromUserName, createTime, msgType, raw, msgId, msgDataId, idx,
        title: stringOf(fields, 'Title'),
        description: stringOf(fields, 'Description'),
        url: stringOf(fields, 'Url'),
      };
    default:
      return unknown(fields, toUserName, fromUserName, createTime, msgType);
  }
}

function eventFromFields(
  fields: XmlFields,
  toUserName: string,
  fromUserName: string,
  createTime: number,
  msgType: string,
): InboundMessage {
  const kind = 'event';
  const raw = fields;
  const name = textOf(fields, 'Event')?.trim().toLowerCase();
  const eventKey = stringOf(fields, 'EventKey');
  switch (name) {
    case 'subscribe':
      return {
        kind, event: name, toUserName, fromUserName, createTime, msgType, raw, eventKey,
        scene: eventKey.startsWith('qrscene_') ? eventKey.slice('qrscene_'.length) : undefined,
        ticket: textOf(fields, 'Ticket'),
      };
    case 'unsubscribe':
      return { kind, event: name, toUserName, fromUserName, createTime, msgType, raw };
    case 'scan':
      return {
        kind, event: name, toUserName, fromUserName, createTime, msgType, raw, eventKey,
        ticket: textOf(fields, 'Ticket'),
      };
    case 'location':
      return {
        kind, event: name, toUserName, fromUserName, createTime, msgType, raw,
        latitude: numberOf(fields, 'Latitude'),
        longitude: numberOf(fields, 'Longitude'),
        precision: numberOf(fields, 'Precision'),
      };
    case 'click':
      return { kind, event: name, toUserName, fromUserName, createTime, msgType, raw, eventKey };
    case 'view':
    case 'view_miniprogram':
      return {
        kind, event: name, toUserName, fromUserName, createTime, msgType, raw, eventKey,
        menuId: textOf(fields, 'MenuId') ?? textOf(fields, 'MenuID'),
      };
    case 'scancode_push':
    case 'scancode_waitmsg': {
      const info = childOf(fields, 'ScanCodeInfo');
      return {
        kind, event: name, toUserName, fromUserName, createTime, msgType, raw, eventKey,
        scanType: stringOf(info, 'ScanType'),
        scanResult: stringOf(info, 'ScanResult'),
      };
    }
    case 'pic_sysphoto':
    case 'pic_photo_or_album':
    case 'pic_weixin': {
      const info = childOf(fields, 'SendPicsInfo');
      return {
        kind, event: name, toUserName, fromUserName, createTime, msgType, raw, eventKey,
        count: numberOf(info, 'Count'),
        picMd5Sums: recordsOf(childOf(info, 'PicList'), 'item').map((item) => stringOf(item, 'PicMd5Sum')),
      };
    }
    case 'location_select': {
      const info = childOf(fields, 'SendLocationInfo');
      return {
        kind, event: name, toUserName, fromUserName, createTime, msgType, raw, eventKey,
        locationX: numberOf(info, 'Location_X'),
        locationY: numberOf(info, 'Location_Y'),
        scale: numberOf(info, 'Scale'),
        label: stringOf(info, 'Label'),
        poiname: stringOf(info, 'Poiname'),
      };
    }
    case 'templatesendjobfinish':
      return {
        kind, event: name, toUserName, fromUserName, createTime, msgType, raw,
        msgId: msgIdOf(fields) ?? '',
        status: stringOf(fields, 'Status'),
      };
    case 'masssendjobfinish': {
      const copyright = childOf(fields, 'CopyrightCheckResult');
      return {
        kind, event: name, toUserName, fromUserName, createTime, msgType, raw,
        msgId: msgIdOf(fields) ?? '',
        status: stringOf(fields, 'Status'),
        totalCount: numberOf(fields, 'TotalCount'),
        filterCount: numberOf(fields, 'FilterCount'),
        sentCount: numberOf(fields, 'SentCount'),
        errorCount: numberOf(fields, 'ErrorCount'),
        copyrightCheck:
          copyright === undefined
            ? undefined
            : {
                count: numberOf(copyright, 'Count'),
                checkState: numberOf(copyright, 'CheckState'),
                results: recordsOf(childOf(copyright, 'ResultList'), 'item'),
              },
        articleUrls: recordsOf(childOf(childOf(fields, 'ArticleUrlResult'), 'ResultList'), 'item').map((item) => ({
          articleIdx: numberOf(item, 'ArticleIdx'),
          articleUrl: stringOf(item, 'ArticleUrl'),
        })),
      };
    }
    case 'publishjobfinish': {
      const info = childOf(fields, 'PublishEventInfo');
      return {
        kind, event: name, toUserName, fromUserName, createTime, msgType, raw,
        publishId: stringOf(info, 'publish_id').trim(),
        publishStatus: numberOf(info, 'publish_status'),
        articleId: textOf(info, 'article_id'),
        articles: recordsOf(childOf(info, 'article_detail'), 'item').map((item) => ({
          idx: numberOf(item, 'idx'),
          articleUrl: stringOf(item, 'article_url'),
        })),
        failIdx: listOf(info, 'fail_idx')
          .map((v) => (typeof v === 'string' ? parseDecimal(v) : undefined))
          .filter((n): n is number => n !== undefined),
      };
    }
    case 'kf_create_session':
    case 'kf_close_session':
      return {
        kind, event: name, toUserName, fromUserName, createTime, msgType, raw,
        kfAccount: stringOf(fields, 'KfAccount'),
      };
    case 'kf_switch_session':
      return {
        kind, event: name, toUserName, fromUserName, createTime, msgType, raw,
        fromKfAccount: stringOf(fields, 'FromKfAccount'),
        toKfAccount: stringOf(fields, 'ToKfAccount'),
      };
    case 'subscribe_msg_popup_event':
    case 'subscribe_msg_change_event':
    case 'subscribe_msg_sent_event':
      return {
        kind, event: name, toUserName, fromUserName, createTime, msgType, raw,
        items: subscribeMsgItems(fields, SUBSCRIBE_MSG_CONTAINERS[name]),
      };
    default:
      return unknown(fields, toUserName, fromUserName, createTime, msgType);
  }
}

const SUBSCRIBE_MSG_CONTAINERS = {
  subscribe_msg_popup_event: 'SubscribeMsgPopupEvent',
  subscribe_msg_change_event: 'SubscribeMsgChangeEvent',
  subscribe_msg_sent_event: 'SubscribeMsgSentEvent',
} as const;

function subscribeMsgItems(fields: XmlFields, container: string): SubscribeMsgItem[] {
  return recordsOf(childOf(fields, container), 'List').map((item) => ({
    templateId: stringOf(item, 'TemplateId'),
    subscribeStatus: textOf(item, 'SubscribeStatusString'),
    popupScene: textOf(item, 'PopupScene'),
    msgId: textOf(item, 'MsgID') ?? textOf(item, 'MsgId'),
    errorCode: numberOf(item, 'ErrorCode'),
    errorStatus: textOf(item, 'ErrorStatus'),
  }));
}

function unknown(
  fields: XmlFields,
  toUserName: string,
  fromUserName: string,
  createTime: number,
  msgType: string,
): InboundMessage {
  return {
    kind: 'unknown', toUserName, fromUserName, createTime, msgType, raw: fields,
    event: textOf(fields, 'Event'),
    msgId: msgIdOf(fields),
    eventKey: textOf(fields, 'EventKey'),
  };
}

/** MsgId on messages, MsgID on job events: a 64-bit decimal kept as a string. */
function msgIdOf(fields: XmlFields): string | undefined {
  return (textOf(fields, 'MsgId') ?? textOf(fields, 'MsgID'))?.trim();
}
