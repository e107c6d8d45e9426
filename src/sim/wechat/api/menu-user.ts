import { refuse } from '../api-errors.js';
import type { ApiRoute } from '../api-router.js';
import type { FollowerState } from '../follower-state.js';
import { validateMenu } from '../menu-rules.js';

let nextMenuId = 208_396_938;

/** user/info's answer; an unsubscribed user gets little more than `subscribe: 0` (reference §8). */
function userInfo(f: FollowerState): Record<string, unknown> {
  if (!f.subscribed) return { subscribe: 0, openid: f.openid, tagid_list: [] };
  return {
    subscribe: 1,
    openid: f.openid,
    subscribe_time: f.subscribeTime,
    remark: '',
    groupid: 0,
    tagid_list: [],
    subscribe_scene: f.subscribe.scene,
    qr_scene: f.subscribe.qrScene,
    qr_scene_str: f.subscribe.qrSceneStr,
  };
}

/** Menus and users (reference §8). */
export const menuUserRoutes: readonly ApiRoute[] = [
  {
    method: 'POST',
    path: '/cgi-bin/menu/create',
    auth: 'token',
    handler(call) {
      const a = call.account;
      const button = validateMenu(call.json(), {
        isMaterial: (id) => {
          try {
            a.media.material(id);
            return true;
          } catch {
            return false;
          }
        },
        hasArticle: (id) => a.publishes.hasArticle(id),
      });
      a.menu = { button, menuid: nextMenuId++ };
      return { errcode: 0, errmsg: 'ok' };
    },
  },
  {
    method: 'ANY',
    path: '/cgi-bin/menu/get',
    auth: 'token',
    handler(call) {
      const menu = call.account.menu;
      if (!menu) refuse(46003);
      return { menu: { button: menu.button, menuid: menu.menuid } };
    },
  },
  {
    method: 'ANY',
    path: '/cgi-bin/menu/delete',
    auth: 'token',
    handler(call) {
      call.account.menu = undefined;
      return { errcode: 0, errmsg: 'ok' };
    },
  },
  {
    method: 'ANY',
    path: '/cgi-bin/user/info',
    auth: 'token',
    handler(call) {
      const f = call.account.follower(call.query('openid'));
      if (!f) refuse(40003);
      return userInfo(f);
    },
  },
  {
    method: 'POST',
    path: '/cgi-bin/user/info/batchget',
    auth: 'token',
    handler(call) {
      const list = call.json().user_list;
      if (!Array.isArray(list) || list.length === 0 || list.length > 100) refuse(47001);
      const infos = list.map((u: { openid?: unknown } | null) => {
        const f = call.account.follower(u?.openid);
        if (!f) refuse(40003);
        return userInfo(f);
      });
      return { user_info_list: infos };
    },
  },
  {
    method: 'ANY',
    path: '/cgi-bin/user/get',
    auth: 'token',
    handler(call) {
      const all = [...call.account.followers.values()].filter((f) => f.subscribed).map((f) => f.openid);
      const next = call.query('next_openid');
      const start = next ? all.indexOf(next) + 1 : 0;
      if (next && start === 0) refuse(40003);
      const page = all.slice(start, start + 10_000);
      return { total: all.length, count: page.length, data: { openid: page }, next_openid: page[page.length - 1] ?? '' };
    },
  },
];
