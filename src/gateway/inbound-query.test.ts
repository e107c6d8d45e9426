import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfigFromObject } from '../config/load-config.js';
import { parseMessage } from '../wechat/parse-message.js';
import type { LinkMessage, LocationMessage, UnknownInbound } from '../wechat/inbound-message.js';
import { baseFacts, fileQuery, fillTemplate, imageTextQuery, linkQuery, locationFacts, locationQuery } from './inbound-query.js';

const queries = loadConfigFromObject(
  { accounts: [{ id: 'a', appId: 'wx0123456789abcdef', token: 'tok123', ai: { baseUrl: 'http://d/v1', apiKey: 'k', app: 'chat' } }] },
  { env: {} },
).accounts[0]!.queries;

const xml = (body: string): string =>
  `<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[oUser]]></FromUserName><CreateTime>1700000000</CreateTime>${body}<MsgId>1234567890123456789</MsgId></xml>`;

test('placeholders are filled; unknown ones stay as written', () => {
  assert.equal(fillTemplate('{a} and {b} and {c}', { a: 'x', b: 2 }), 'x and 2 and {c}');
});

test('location: label and coordinates in the default query and in the facts', () => {
  const m = parseMessage(xml('<MsgType><![CDATA[location]]></MsgType><Location_X>23.134521</Location_X><Location_Y>113.358803</Location_Y><Scale>20</Scale><Label><![CDATA[广州]]></Label>')) as LocationMessage;
  assert.equal(locationQuery(m, queries), '[位置] 广州（纬度 23.134521，经度 113.358803）');
  assert.deepEqual(locationFacts(m), { latitude: '23.134521', longitude: '113.358803', location_label: '广州' });
  assert.deepEqual(baseFacts(m), { openid: 'oUser', msg_type: 'location' });
});

test('link: a line whose placeholders are all empty is dropped', () => {
  const m = parseMessage(xml('<MsgType><![CDATA[link]]></MsgType><Title><![CDATA[标题]]></Title><Description><![CDATA[]]></Description><Url><![CDATA[https://e.com/]]></Url>')) as LinkMessage;
  assert.equal(linkQuery(m, queries), '[链接] 标题\nhttps://e.com/');
});

test('file messages get a query from their title; other unknown types none', () => {
  const file = parseMessage(xml('<MsgType><![CDATA[file]]></MsgType><Title><![CDATA[报告.pdf]]></Title>')) as UnknownInbound;
  assert.equal(file.kind, 'unknown');
  assert.equal(fileQuery(file, queries), '[文件] 报告.pdf');
  const other = parseMessage(xml('<MsgType><![CDATA[miniprogrampage]]></MsgType>')) as UnknownInbound;
  assert.equal(fileQuery(other, queries), undefined);
  assert.equal(imageTextQuery('http://p/1', queries), '[图片] http://p/1');
});
