import type { XmlFields } from './xml-tree.js';

/** Fields every callback carries. `raw` is the full field map as parsed (repeated tags as arrays). */
export interface InboundBase {
  /** The account's original id (gh_…). */
  toUserName: string;
  /** The sender's OpenID. */
  fromUserName: string;
  /** Unix seconds. */
  createTime: number;
  /** MsgType exactly as sent. */
  msgType: string;
  raw: XmlFields;
}

/** Fields of every normal (non-event) message. */
export interface NormalMessageBase extends InboundBase {
  /** 64-bit id, beyond 2^53: always a string. Undefined only if WeChat left it out. */
  msgId: string | undefined;
  /** Set when the message was sent from an article. */
  msgDataId: string | undefined;
  /** 1-based article index, with msgDataId. */
  idx: number | undefined;
}

export interface TextMessage extends NormalMessageBase {
  kind: 'text';
  content: string;
  /** Set when the follower tapped an option of a 客服 msgmenu (content is then the option text). */
  bizMsgMenuId: string | undefined;
}

export interface ImageMessage extends NormalMessageBase {
  kind: 'image';
  picUrl: string;
  mediaId: string;
}

export interface VoiceMessage extends NormalMessageBase {
  kind: 'voice';
  /** 8 kHz AMR media. */
  mediaId: string;
  /** `amr` or `speex`. */
  format: string;
  mediaId16K: string | undefined;
  /** Speech recognition was withdrawn in 2023: usually absent or empty. */
  recognition: string | undefined;
}

export interface VideoMessage extends NormalMessageBase {
  kind: 'video';
  mediaId: string;
  thumbMediaId: string;
}

export interface ShortVideoMessage extends NormalMessageBase {
  kind: 'shortvideo';
  mediaId: string;
  thumbMediaId: string;
}

export interface LocationMessage extends NormalMessageBase {
  kind: 'location';
  /** Latitude (Location_X). */
  locationX: number | undefined;
  /** Longitude (Location_Y). */
  locationY: number | undefined;
  scale: number | undefined;
  label: string;
}

export interface LinkMessage extends NormalMessageBase {
  kind: 'link';
  title: string;
  description: string;
  url: string;
}

/** A follower's message (not an event). */
export type NormalMessage =
  | TextMessage
  | ImageMessage
  | VoiceMessage
  | VideoMessage
  | ShortVideoMessage
  | LocationMessage
  | LinkMessage;

/** Fields of every event. `event` is the Event value lower-cased (WeChat mixes cases; raw.Event keeps the original). */
export interface EventBase extends InboundBase {
  kind: 'event';
}

export interface SubscribeEvent extends EventBase {
  event: 'subscribe';
  /** `qrscene_<scene>` after a parameter QR code, else empty. */
  eventKey: string;
  /** The scene with the `qrscene_` prefix removed; undefined for a plain follow. */
  scene: string | undefined;
  ticket: string | undefined;
}

export interface UnsubscribeEvent extends EventBase {
  event: 'unsubscribe';
}

/** An existing follower scanned a parameter QR code. */
export interface ScanEvent extends EventBase {
  event: 'scan';
  /** The scene (scene_id or scene_str), no prefix. */
  eventKey: string;
  ticket: string | undefined;
}

export interface LocationEvent extends EventBase {
  event: 'location';
  latitude: number | undefined;
  longitude: number | undefined;
  precision: number | undefined;
}

export interface ClickEvent extends EventBase {
  event: 'click';
  /** The menu button's key. */
  eventKey: string;
}

export interface ViewEvent extends EventBase {
  event: 'view';
  /** The URL opened. */
  eventKey: string;
  menuId: string | undefined;
}

export interface ViewMiniprogramEvent extends EventBase {
  event: 'view_miniprogram';
  /** The mini-program page path. */
  eventKey: string;
  menuId: string | undefined;
}

export interface ScancodeEvent extends EventBase {
  event: 'scancode_push' | 'scancode_waitmsg';
  eventKey: string;
  /** e.g. `qrcode`, `barcode`. */
  scanType: string;
  scanResult: string;
}

export interface PicEvent extends EventBase {
  event: 'pic_sysphoto' | 'pic_photo_or_album' | 'pic_weixin';
  eventKey: string;
  count: number | undefined;
  /** One per picture (SendPicsInfo/PicList/item/PicMd5Sum). */
  picMd5Sums: string[];
}

export interface LocationSelectEvent extends EventBase {
  event: 'location_select';
  eventKey: string;
  locationX: number | undefined;
  locationY: number | undefined;
  scale: number | undefined;
  label: string;
  poiname: string;
}

export interface TemplateSendJobFinishEvent extends EventBase {
  event: 'templatesendjobfinish';
  /** MsgID (capital D), kept as a string. */
  msgId: string;
  /** `success`, `failed:user block`, `failed: system failed`. */
  status: string;
}

export interface MassSendArticleUrl {
  articleIdx: number | undefined;
  articleUrl: string;
}

export interface MassSendJobFinishEvent extends EventBase {
  event: 'masssendjobfinish';
  msgId: string;
  /** `send success`, `send fail`, `err(n)`. */
  status: string;
  totalCount: number | undefined;
  filterCount: number | undefined;
  sentCount: number | undefined;
  errorCount: number | undefined;
  /** CopyrightCheckResult, when present; `results` are the raw ResultList items. */
  copyrightCheck: { count: number | undefined; checkState: number | undefined; results: XmlFields[] } | undefined;
  /** ArticleUrlResult/ResultList items. */
  articleUrls: MassSendArticleUrl[];
}

export interface PublishedArticle {
  idx: number | undefined;
  articleUrl: string;
}

export interface PublishJobFinishEvent extends EventBase {
  event: 'publishjobfinish';
  /** publish_id as a string (it is an id, not a quantity). */
  publishId: string;
  /** 0 success, 1 publishing, 2 originality failed, 3 failed, 4 rejected by review, 5/6 deleted/banned after success. */
  publishStatus: number | undefined;
  articleId: string | undefined;
  /** article_detail/item, in order. */
  articles: PublishedArticle[];
  /** fail_idx values (1-based), for status 2 or 4. */
  failIdx: number[];
}

export interface KfSessionEvent extends EventBase {
  event: 'kf_create_session' | 'kf_close_session';
  kfAccount: string;
}

export interface KfSwitchSessionEvent extends EventBase {
  event: 'kf_switch_session';
  fromKfAccount: string;
  toKfAccount: string;
}

/** One template in a 订阅通知 (subscribe message) event list. */
export interface SubscribeMsgItem {
  templateId: string;
  /** `accept` / `reject` (popup and change events). */
  subscribeStatus: string | undefined;
  /** Popup scene: 1 = widget, 2 = article, … (popup event). */
  popupScene: string | undefined;
  /** Sent event: the message id, as a string. */
  msgId: string | undefined;
  /** Sent event: 0 = delivered. */
  errorCode: number | undefined;
  /** Sent event: `success`, `failed:user block`, … */
  errorStatus: string | undefined;
}

export interface SubscribeMsgEvent extends EventBase {
  event: 'subscribe_msg_popup_event' | 'subscribe_msg_change_event' | 'subscribe_msg_sent_event';
  /** The List items of SubscribeMsgPopupEvent / SubscribeMsgChangeEvent / SubscribeMsgSentEvent. */
  items: SubscribeMsgItem[];
}

/** A platform event (MsgType=event) of a known kind. */
export type InboundEvent =
  | SubscribeEvent
  | UnsubscribeEvent
  | ScanEvent
  | LocationEvent
  | ClickEvent
  | ViewEvent
  | ViewMiniprogramEvent
  | ScancodeEvent
  | PicEvent
  | LocationSelectEvent
  | TemplateSendJobFinishEvent
  | MassSendJobFinishEvent
  | PublishJobFinishEvent
  | KfSessionEvent
  | KfSwitchSessionEvent
  | SubscribeMsgEvent;

/** A MsgType, or an Event, this version does not know: handled generically through `raw`, never an error. */
export interface UnknownInbound extends InboundBase {
  kind: 'unknown';
  /** The Event value as sent, when MsgType is `event`. */
  event: string | undefined;
  /** MsgId/MsgID when present. */
  msgId: string | undefined;
  eventKey: string | undefined;
}

/** Every callback the gateway can receive, discriminated by `kind` (and `event` for events). */
export type InboundMessage = NormalMessage | InboundEvent | UnknownInbound;

/** The lower-cased Event names with a typed variant. */
export type InboundEventName = InboundEvent['event'];
