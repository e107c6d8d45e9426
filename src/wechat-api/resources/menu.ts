/** The custom menu: `menu/create`, `menu/get`, `menu/delete` (§8). */
import { APIResource, type CallOptions } from '../resource.js';

export type MenuButtonType =
  | 'click'
  | 'view'
  | 'scancode_push'
  | 'scancode_waitmsg'
  | 'pic_sysphoto'
  | 'pic_photo_or_album'
  | 'pic_weixin'
  | 'location_select'
  | 'media_id'
  | 'article_id'
  | 'article_view_limited'
  | 'miniprogram';

/** A button that does something: `name` ≤ 60 bytes in a sub-menu, `key` ≤ 128 bytes, `url` ≤ 1024 bytes. */
export interface MenuActionButton {
  type: MenuButtonType;
  name: string;
  key?: string;
  url?: string;
  media_id?: string;
  article_id?: string;
  appid?: string;
  pagepath?: string;
}

/** A top-level button (`name` ≤ 16 bytes): an action, or a sub-menu of 1..5 actions. */
export type MenuButton = MenuActionButton | { name: string; sub_button: MenuActionButton[] };

export interface MenuDefinition {
  /** 1..3 top-level buttons. */
  button: MenuButton[];
}

export interface MenuInfo {
  menu: MenuDefinition & { menuid?: number };
  conditionalmenu?: unknown[];
}

export class Menu extends APIResource {
  /** Replace the account's menu. */
  async create(menu: MenuDefinition, options?: CallOptions): Promise<void> {
    await this.client.postJson('/cgi-bin/menu/create', menu, options);
  }

  /** The current menu (46003 when there is none). */
  async get(options?: CallOptions): Promise<MenuInfo> {
    return this.client.getJson<MenuInfo>('/cgi-bin/menu/get', undefined, options);
  }

  /** Delete the menu (conditional menus included). */
  async delete(options?: CallOptions): Promise<void> {
    await this.client.getJson('/cgi-bin/menu/delete', undefined, options);
  }
}
