import { refuse } from './api-errors.js';

/** Menu button types (reference §8). */
export const MENU_BUTTON_TYPES = [
  'click', 'view', 'scancode_push', 'scancode_waitmsg', 'pic_sysphoto', 'pic_photo_or_album', 'pic_weixin',
  'location_select', 'media_id', 'article_id', 'article_view_limited', 'miniprogram',
] as const;
const KEY_TYPES = new Set(['click', 'scancode_push', 'scancode_waitmsg', 'pic_sysphoto', 'pic_photo_or_album', 'pic_weixin', 'location_select']);

/** Menu limits in UTF-8 bytes: top name 16, sub name 60, key 128, url 1024; 1..3 buttons, 1..5 sub-buttons. */
export const MENU_LIMITS = { buttons: 3, subButtons: 5, topNameBytes: 16, subNameBytes: 60, keyBytes: 128, urlBytes: 1024 } as const;

/** What menu validation needs to know about the account. */
export interface MenuLookups {
  isMaterial(id: unknown): boolean;
  hasArticle(id: unknown): boolean;
}

/** Errcodes of one menu level: top buttons (40017–40020) or sub-buttons (40024–40027). */
interface LevelCodes {
  type: number;
  name: number;
  key: number;
  url: number;
  nameBytes: number;
}
const TOP: LevelCodes = { type: 40017, name: 40018, key: 40019, url: 40020, nameBytes: MENU_LIMITS.topNameBytes };
const SUB: LevelCodes = { type: 40024, name: 40025, key: 40026, url: 40027, nameBytes: MENU_LIMITS.subNameBytes };

const bytes = (v: unknown): number => (typeof v === 'string' ? Buffer.byteLength(v) : 0);

function checkLeaf(b: Record<string, unknown>, codes: LevelCodes, lookups: MenuLookups): void {
  const type = b.type;
  if (typeof type !== 'string' || !(MENU_BUTTON_TYPES as readonly string[]).includes(type)) refuse(codes.type);
  if (KEY_TYPES.has(type) && (bytes(b.key) === 0 || bytes(b.key) > MENU_LIMITS.keyBytes)) refuse(codes.key);
  if ((type === 'view' || type === 'miniprogram') && (bytes(b.url) === 0 || bytes(b.url) > MENU_LIMITS.urlBytes)) refuse(codes.url);
  if (type === 'miniprogram' && (bytes(b.appid) === 0 || bytes(b.pagepath) === 0)) refuse(47001);
  if (type === 'media_id' && !lookups.isMaterial(b.media_id)) refuse(40007);
  if ((type === 'article_id' || type === 'article_view_limited') && !lookups.hasArticle(b.article_id)) refuse(40007);
}

function checkName(b: Record<string, unknown>, codes: LevelCodes): void {
  const n = bytes(b.name);
  if (n === 0 || n > codes.nameBytes) refuse(codes.name);
}

function asButton(v: unknown): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) refuse(47001);
  return v as Record<string, unknown>;
}

/** Validates a menu/create body (reference §8): 40016–40027 for sizes and types, 40007 unknown material/article. */
export function validateMenu(body: Record<string, unknown>, lookups: MenuLookups): Record<string, unknown>[] {
  const buttons = body.button;
  if (!Array.isArray(buttons) || buttons.length === 0 || buttons.length > MENU_LIMITS.buttons) refuse(40016);
  return buttons.map((raw) => {
    const b = asButton(raw);
    checkName(b, TOP);
    const subs = b.sub_button;
    if (Array.isArray(subs) && subs.length > 0) {
      if (subs.length > MENU_LIMITS.subButtons) refuse(40023);
      for (const rawSub of subs) {
        const s = asButton(rawSub);
        if (Array.isArray(s.sub_button) && s.sub_button.length > 0) refuse(40022);
        checkName(s, SUB);
        checkLeaf(s, SUB, lookups);
      }
      return { name: b.name, sub_button: subs.map((s: Record<string, unknown>) => ({ ...s, sub_button: [] })) };
    }
    checkLeaf(b, TOP, lookups);
    return { ...b, sub_button: [] };
  });
}

/** Material ids a menu refers to (a referenced material cannot be deleted: 48005). */
export function materialsUsedBy(buttons: Record<string, unknown>[]): Set<string> {
  const ids = new Set<string>();
  const visit = (b: Record<string, unknown>): void => {
    if (b.type === 'media_id' && typeof b.media_id === 'string') ids.add(b.media_id);
    if (Array.isArray(b.sub_button)) for (const s of b.sub_button) visit(s as Record<string, unknown>);
  };
  buttons.forEach(visit);
  return ids;
}
