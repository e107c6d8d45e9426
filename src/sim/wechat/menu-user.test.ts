import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startWechatSimulator, type WechatSimulator } from './index.js';
import { ApiClient } from './test-support/api-client.js';

describe('menus and users (reference §8)', () => {
  let sim: WechatSimulator;
  let api: ApiClient;
  let token: string;
  before(async () => {
    sim = await startWechatSimulator();
    api = new ApiClient(sim);
  });
  after(() => sim.close());
  beforeEach(async () => {
    sim.reset();
    token = await api.token();
  });

  const create = async (button: unknown): Promise<number | undefined> => (await api.post('/cgi-bin/menu/create', token, { button })).errcode;

  test('menu create, get (46003 before), delete', async () => {
    assert.equal((await api.get('/cgi-bin/menu/get', { access_token: token })).errcode, 46003);
    const button = [
      { type: 'click', name: '今日歌曲', key: 'V1001_TODAY_MUSIC' },
      { name: '菜单', sub_button: [{ type: 'view', name: '搜索', url: 'http://www.soso.com/' }, { type: 'miniprogram', name: 'wxa', url: 'http://mp.weixin.qq.com', appid: 'wx286b93c14bbf93aa', pagepath: 'pages/lunar/index' }] },
    ];
    assert.equal(await create(button), 0);
    const got = await api.get('/cgi-bin/menu/get', { access_token: token });
    const menu = got.menu as { button: { name: string; sub_button: unknown[] }[]; menuid: number };
    assert.deepEqual(menu.button.map((b) => b.name), ['今日歌曲', '菜单']);
    assert.equal(menu.button[1]?.sub_button.length, 2);
    assert.equal(typeof menu.menuid, 'number');
    assert.equal((await api.get('/cgi-bin/menu/delete', { access_token: token })).errcode, 0);
    assert.equal((await api.get('/cgi-bin/menu/get', { access_token: token })).errcode, 46003);
  });

  test('menu validation: 40016 sizes, 40017 type, 40018 name bytes, 40019 key, 40020 url, 40022 level, 40023–40027 sub-buttons', async () => {
    const click = { type: 'click', name: 'a', key: 'k' };
    assert.equal(await create([]), 40016);
    assert.equal(await create([click, click, click, click]), 40016);
    assert.equal(await create([{ ...click, type: 'tap' }]), 40017);
    assert.equal(await create([{ ...click, name: '六个汉字六个' }]), 40018, '18 bytes > 16');
    assert.equal(await create([{ ...click, name: '五个汉字五' }]), 0, '15 bytes');
    assert.equal(await create([{ ...click, key: 'k'.repeat(129) }]), 40019);
    assert.equal(await create([{ type: 'view', name: 'v', url: `http://x/${'a'.repeat(1020)}` }]), 40020);
    const sub = (s: Record<string, unknown>): unknown[] => [{ name: 'm', sub_button: [s] }];
    assert.equal(await create([{ name: 'm', sub_button: [click, click, click, click, click, click] }]), 40023);
    assert.equal(await create(sub({ ...click, sub_button: [click] })), 40022);
    assert.equal(await create(sub({ ...click, type: 'tap' })), 40024);
    assert.equal(await create(sub({ ...click, name: 'n'.repeat(61) })), 40025);
    assert.equal(await create(sub({ ...click, key: '' })), 40026);
    assert.equal(await create(sub({ type: 'view', name: 'v' })), 40027);
    assert.equal(await create([{ type: 'media_id', name: 'm', media_id: 'nope' }]), 40007);
  });

  test('user/info: subscribed fields without nickname; unsubscribed → subscribe 0; unknown → 40003', async () => {
    const openid = sim.addFollower();
    const info = await api.get('/cgi-bin/user/info', { access_token: token, openid, lang: 'zh_CN' });
    assert.equal(info.subscribe, 1);
    assert.equal(info.openid, openid);
    assert.equal(typeof info.subscribe_time, 'number');
    assert.equal(info.subscribe_scene, 'ADD_SCENE_SEARCH');
    assert.deepEqual(info.tagid_list, []);
    assert.equal(info.nickname, undefined, 'no nickname since 2021-12-27');
    sim.interact(openid, 'unsubscribe');
    assert.deepEqual(await api.get('/cgi-bin/user/info', { access_token: token, openid }), { subscribe: 0, openid, tagid_list: [] });
    assert.equal((await api.get('/cgi-bin/user/info', { access_token: token, openid: 'oNobody0000000000000000000000' })).errcode, 40003);
  });

  test('user/get lists subscribed followers; user/info/batchget', async () => {
    const a = sim.addFollower();
    const b = sim.addFollower();
    const list = await api.get('/cgi-bin/user/get', { access_token: token });
    assert.equal(list.total, 2);
    assert.deepEqual((list.data as { openid: string[] }).openid, [a, b]);
    const batch = await api.post('/cgi-bin/user/info/batchget', token, { user_list: [{ openid: a, lang: 'zh_CN' }, { openid: b }] });
    assert.deepEqual((batch.user_info_list as { openid: string }[]).map((u) => u.openid), [a, b]);
  });
});
