/** client.menu and client.user against the simulator. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MenuDefinition } from '../../../src/wechat-api/index.js';
import { expectApiError, useSimulator } from '../support.js';

const h = useSimulator();

describe('client.menu (simulator)', () => {
  it('46003 without a menu; create, get, delete', async () => {
    const none = await expectApiError(h.wx.menu.get(), 46003);
    assert.match(none.message, /no menu/);
    const menu: MenuDefinition = {
      button: [
        { type: 'click', name: '新对话', key: 'NEW_CHAT' },
        { name: '更多', sub_button: [{ type: 'view', name: '官网', url: 'https://example.com/' }, { type: 'click', name: '帮助', key: 'HELP' }] },
      ],
    };
    await h.wx.menu.create(menu);
    const got = await h.wx.menu.get();
    assert.equal(got.menu.button.length, 2);
    assert.equal(got.menu.button[0]?.name, '新对话');
    const more = got.menu.button[1];
    assert.ok(more && 'sub_button' in more && more.sub_button.length === 2);
    assert.equal(more.sub_button[0]?.url, 'https://example.com/');
    assert.equal(typeof got.menu.menuid, 'number');
    await h.wx.menu.delete();
    await expectApiError(h.wx.menu.get(), 46003);
  });

  it('refuses a menu with four top-level buttons', async () => {
    const button = Array.from({ length: 4 }, (_, i) => ({ type: 'click' as const, name: `b${i}`, key: `K${i}` }));
    const error = await expectApiError(h.wx.menu.create({ button }), 40016);
    assert.equal(error.path, '/cgi-bin/menu/create');
  });
});

describe('client.user (simulator)', () => {
  it('returns a follower profile; 40003 for a foreign openid', async () => {
    const openid = h.sim.addFollower();
    const info = await h.wx.user.info(openid);
    assert.equal(info.subscribe, 1);
    assert.equal(info.openid, openid);
    assert.equal(typeof info.subscribe_time, 'number');
    assert.equal(h.sim.calls({ path: '/cgi-bin/user/info' }).length, 1);
    const error = await expectApiError(h.wx.user.info('o_not_a_follower_of_this_account'), 40003);
    assert.match(error.message, /openid does not belong/);
  });
});
