/**
 * What a follower's message says, in words and facts for the AI: each message type becomes a query (the text,
 * or a template such as `[位置] {label}`) and a set of facts (openid, message type, location, link…) offered to
 * the app as inputs. Pure: no I/O. See docs/gateway-messages.md for the list of facts.
 */
import type { QueriesConfig } from '../config/account-schema.js';
import type { InboundMessage, LinkMessage, LocationMessage, UnknownInbound } from '../wechat/inbound-message.js';

/** Values mpgate can offer a Dify app as inputs, by variable name. Only those the app declares are sent. */
export type MessageFacts = Record<string, string>;

/** The input variables mpgate fills when the app declares them (contract: documented in docs/gateway-messages.md). */
export const FACT_NAMES = [
  'openid',
  'msg_type',
  'event',
  'event_key',
  'scene',
  'latitude',
  'longitude',
  'location_label',
  'link_url',
  'link_title',
  'link_description',
  'pic_url',
] as const;

/** Fills `{name}` placeholders; unknown names stay as written (the config check refuses them anyway). */
export function fillTemplate(template: string, values: Readonly<Record<string, string | number | undefined>>): string {
  return template.replace(/\{([A-Za-z_]\w*)\}/g, (whole, name: string) => {
    const value = values[name];
    return value === undefined ? whole : String(value);
  });
}

/** A query built from a template; a line that held only placeholders and came out empty is dropped. */
function query(template: string, values: Readonly<Record<string, string | number | undefined>>): string {
  return template
    .split('\n')
    .flatMap((line) => {
      const filled = fillTemplate(line, values).trimEnd();
      return filled === '' && line.trim() !== '' ? [] : [filled];
    })
    .join('\n')
    .trim();
}

const numberText = (n: number | undefined): string | undefined => (n === undefined ? undefined : String(n));

/** The facts every message carries: who sent it and what kind of message it is. */
export function baseFacts(message: InboundMessage): MessageFacts {
  const facts: MessageFacts = { openid: message.fromUserName, msg_type: message.msgType.toLowerCase() };
  if (message.kind === 'event') facts.event = message.event;
  return facts;
}

/** Facts of a location message (also remembered as the follower's last known place). */
export function locationFacts(message: Pick<LocationMessage, 'locationX' | 'locationY' | 'label'>): MessageFacts {
  const facts: MessageFacts = {};
  const lat = numberText(message.locationX);
  const lng = numberText(message.locationY);
  if (lat !== undefined) facts.latitude = lat;
  if (lng !== undefined) facts.longitude = lng;
  if (message.label) facts.location_label = message.label;
  return facts;
}

/** Facts of a shared link. */
export function linkFacts(message: Pick<LinkMessage, 'url' | 'title' | 'description'>): MessageFacts {
  return { link_url: message.url, link_title: message.title, link_description: message.description };
}

/** The query for a location message. */
export function locationQuery(message: LocationMessage, queries: QueriesConfig): string {
  return query(queries.location, {
    label: message.label,
    latitude: numberText(message.locationX) ?? '',
    longitude: numberText(message.locationY) ?? '',
    scale: numberText(message.scale) ?? '',
  });
}

/** The query for a shared link (the reference plugin dropped these: every field is kept). */
export function linkQuery(message: LinkMessage, queries: QueriesConfig): string {
  return query(queries.link, { title: message.title, description: message.description, url: message.url });
}

/** The query for an image the AI cannot see (the app takes no images, or the download failed). */
export function imageTextQuery(picUrl: string, queries: QueriesConfig): string {
  return query(queries.imageText, { url: picUrl });
}

/** The query for a video or short video (the AI gets a mention, not the video). */
export function videoQuery(queries: QueriesConfig): string {
  return query(queries.video, {});
}

/**
 * The query for a `file` message (not an Official Account type, but WeChat's relatives send it): its title or
 * file name. Undefined for other unknown types, which get the configured `unsupported` reply.
 */
export function fileQuery(message: UnknownInbound, queries: QueriesConfig): string | undefined {
  if (message.msgType.toLowerCase() !== 'file') return undefined;
  const field = (name: string): string | undefined => (typeof message.raw[name] === 'string' ? (message.raw[name] as string) : undefined);
  return query(queries.file, { title: field('Title') ?? field('FileName') ?? field('Description') ?? '' });
}
