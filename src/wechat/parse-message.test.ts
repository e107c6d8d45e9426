import { test } from 'node:test';
import assert from 'node:assert/strict';
import { messageFromFields, parseEnvelope, parseMessage } from './parse-message.js';
import type { InboundMessage } from './inbound-message.js';
import { WechatXmlError, type WechatXmlReason } from './errors.js';

const HEAD = (msgType: string, from = 'oJqxQwYRyZMXFTc8sipB5TSe6Vw4') => `<xml>
  <ToUserName><![CDATA[gh_b4f0e22ae50e]]></ToUserName>
  <FromUserName><![CDATA[${from}]]></FromUserName>
  <CreateTime>1714112445</CreateTime>
  <MsgType><![CDATA[${msgType}]]></MsgType>`;
const EVENT = (event: string, from?: string) => `${HEAD('event', from)}
  <Event><![CDATA[${event}]]></Event>`;
const COMMON = {
  toUserName: 'gh_b4f0e22ae50e',
  fromUserName: 'oJqxQwYRyZMXFTc8sipB5TSe6Vw4',
  createTime: 1714112445,
};

/** The typed fields of a parsed message, without the raw map (checked separately). */
function typed(message: InboundMessage): Record<string, unknown> {
  const { raw, ...rest } = message;
  assert.equal(typeof raw, 'object');
  return rest;
}

function refused(fn: () => unknown, reason: WechatXmlReason): void {
  assert.throws(fn, (error: unknown) => error instanceof WechatXmlError && error.reason === reason);
}

test('text, with a 64-bit MsgId kept exact and meaningful whitespace kept in Content', () => {
  const m = parseMessage(`${HEAD('text')}
  <Content><![CDATA[  你好，
世界 😀 <b>&amp; ]]></Content>
  <MsgId>7250021412600020992</MsgId>
</xml>`);
  assert.deepEqual(typed(m), {
    ...COMMON, kind: 'text', msgType: 'text', msgId: '7250021412600020992', msgDataId: undefined, idx: undefined,
    content: '  你好，\n世界 😀 <b>&amp; ', bizMsgMenuId: undefined,
  });
  assert.equal(m.raw.MsgId, '7250021412600020992');
});

test('text from a msgmenu tap (bizmsgmenuid) and from an article (MsgDataId, Idx)', () => {
  const m = parseMessage(`${HEAD('text')}
  <Content><![CDATA[满意]]></Content>
  <MsgId>23892468385179204</MsgId>
  <bizmsgmenuid>101</bizmsgmenuid>
  <MsgDataId>2247483700</MsgDataId>
  <Idx>2</Idx>
</xml>`);
  assert.equal(m.kind, 'text');
  assert.deepEqual(
    m.kind === 'text' && { bizMsgMenuId: m.bizMsgMenuId, msgDataId: m.msgDataId, idx: m.idx, msgId: m.msgId },
    { bizMsgMenuId: '101', msgDataId: '2247483700', idx: 2, msgId: '23892468385179204' },
  );
});

test('image', () => {
  const m = parseMessage(`${HEAD('image')}
  <PicUrl><![CDATA[http://mmbiz.qpic.cn/mmbiz_jpg/abc/0]]></PicUrl>
  <MediaId><![CDATA[media_id_1]]></MediaId>
  <MsgId>1234567890123456</MsgId>
</xml>`);
  assert.deepEqual(typed(m), {
    ...COMMON, kind: 'image', msgType: 'image', msgId: '1234567890123456', msgDataId: undefined, idx: undefined,
    picUrl: 'http://mmbiz.qpic.cn/mmbiz_jpg/abc/0', mediaId: 'media_id_1',
  });
});

test('voice with MediaId16K and an empty Recognition', () => {
  const m = parseMessage(`${HEAD('voice')}
  <MediaId><![CDATA[media_8k]]></MediaId>
  <Format><![CDATA[amr]]></Format>
  <MediaId16K><![CDATA[media_16k]]></MediaId16K>
  <Recognition><![CDATA[]]></Recognition>
  <MsgId>1234567890123456</MsgId>
</xml>`);
  assert.deepEqual(typed(m), {
    ...COMMON, kind: 'voice', msgType: 'voice', msgId: '1234567890123456', msgDataId: undefined, idx: undefined,
    mediaId: 'media_8k', format: 'amr', mediaId16K: 'media_16k', recognition: '',
  });
  const old = parseMessage(`${HEAD('voice')}<MediaId>m</MediaId><Format>speex</Format><MsgId>1</MsgId></xml>`);
  assert.deepEqual(old.kind === 'voice' && [old.format, old.mediaId16K, old.recognition], ['speex', undefined, undefined]);
});

test('video and shortvideo', () => {
  for (const type of ['video', 'shortvideo'] as const) {
    const m = parseMessage(`${HEAD(type)}
  <MediaId><![CDATA[media_v]]></MediaId>
  <ThumbMediaId><![CDATA[thumb_v]]></ThumbMediaId>
  <MsgId>1234567890123456</MsgId>
</xml>`);
    assert.deepEqual(typed(m), {
      ...COMMON, kind: type, msgType: type, msgId: '1234567890123456', msgDataId: undefined, idx: undefined,
      mediaId: 'media_v', thumbMediaId: 'thumb_v',
    });
  }
});

test('location: coordinates and scale as numbers', () => {
  const m = parseMessage(`${HEAD('location')}
  <Location_X>23.134521</Location_X>
  <Location_Y>-113.358803</Location_Y>
  <Scale>20</Scale>
  <Label><![CDATA[广州市天河区]]></Label>
  <MsgId>1234567890123456</MsgId>
</xml>`);
  assert.deepEqual(typed(m), {
    ...COMMON, kind: 'location', msgType: 'location', msgId: '1234567890123456', msgDataId: undefined, idx: undefined,
    locationX: 23.134521, locationY: -113.358803, scale: 20, label: '广州市天河区',
  });
});

test('link', () => {
  const m = parseMessage(`${HEAD('link')}
  <Title><![CDATA[公众号平台官网链接]]></Title>
  <Description><![CDATA[公众号平台官网链接]]></Description>
  <Url><![CDATA[https://mp.weixin.qq.com/s/abc?x=1&y=2]]></Url>
  <MsgId>1234567890123456</MsgId>
</xml>`);
  assert.deepEqual(typed(m), {
    ...COMMON, kind: 'link', msgType: 'link', msgId: '1234567890123456', msgDataId: undefined, idx: undefined,
    title: '公众号平台官网链接', description: '公众号平台官网链接', url: 'https://mp.weixin.qq.com/s/abc?x=1&y=2',
  });
});

test('subscribe: plain follow and via a parameter QR code', () => {
  const plain = parseMessage(`${EVENT('subscribe')}
  <EventKey><![CDATA[]]></EventKey>
</xml>`);
  assert.deepEqual(typed(plain), {
    ...COMMON, kind: 'event', event: 'subscribe', msgType: 'event', eventKey: '', scene: undefined, ticket: undefined,
  });
  const qr = parseMessage(`${EVENT('subscribe')}
  <EventKey><![CDATA[qrscene_123123]]></EventKey>
  <Ticket><![CDATA[gQH47joAAAAAAAAAASxodHRwOi8vd2VpeGluLnFxLmNvbS9xL2taZ2Z3TVRtNzJXV1Brb3ZhYmJJAAIEZ23sUwMEmm3sUw==]]></Ticket>
</xml>`);
  assert.deepEqual(qr.kind === 'event' && qr.event === 'subscribe' && [qr.scene, qr.eventKey, qr.ticket?.slice(0, 8)], [
    '123123',
    'qrscene_123123',
    'gQH47joA',
  ]);
});

test('unsubscribe', () => {
  const m = parseMessage(`${EVENT('unsubscribe')}
  <EventKey><![CDATA[]]></EventKey>
</xml>`);
  assert.deepEqual(typed(m), { ...COMMON, kind: 'event', event: 'unsubscribe', msgType: 'event' });
});

test('SCAN, matched case-insensitively', () => {
  for (const spelling of ['SCAN', 'scan', 'Scan']) {
    const m = parseMessage(`${EVENT(spelling)}
  <EventKey><![CDATA[SCENE_VALUE]]></EventKey>
  <Ticket><![CDATA[TICKET]]></Ticket>
</xml>`);
    assert.deepEqual(typed(m), {
      ...COMMON, kind: 'event', event: 'scan', msgType: 'event', eventKey: 'SCENE_VALUE', ticket: 'TICKET',
    });
    assert.equal(m.raw.Event, spelling);
  }
});

test('LOCATION event', () => {
  const m = parseMessage(`${EVENT('LOCATION')}
  <Latitude>23.137466</Latitude>
  <Longitude>113.352425</Longitude>
  <Precision>119.385040</Precision>
</xml>`);
  assert.deepEqual(typed(m), {
    ...COMMON, kind: 'event', event: 'location', msgType: 'event',
    latitude: 23.137466, longitude: 113.352425, precision: 119.38504,
  });
});

test('CLICK', () => {
  const m = parseMessage(`${EVENT('CLICK')}
  <EventKey><![CDATA[V1001_TODAY_MUSIC]]></EventKey>
</xml>`);
  assert.deepEqual(typed(m), { ...COMMON, kind: 'event', event: 'click', msgType: 'event', eventKey: 'V1001_TODAY_MUSIC' });
});

test('VIEW and view_miniprogram with MenuId', () => {
  const view = parseMessage(`${EVENT('VIEW')}
  <EventKey><![CDATA[https://www.qq.com/]]></EventKey>
  <MenuId>412420390</MenuId>
</xml>`);
  assert.deepEqual(typed(view), {
    ...COMMON, kind: 'event', event: 'view', msgType: 'event', eventKey: 'https://www.qq.com/', menuId: '412420390',
  });
  const mini = parseMessage(`${EVENT('view_miniprogram')}
  <EventKey><![CDATA[pages/index/index]]></EventKey>
  <MenuID>8</MenuID>
</xml>`);
  assert.deepEqual(typed(mini), {
    ...COMMON, kind: 'event', event: 'view_miniprogram', msgType: 'event', eventKey: 'pages/index/index', menuId: '8',
  });
});

test('scancode_push and scancode_waitmsg', () => {
  for (const event of ['scancode_push', 'scancode_waitmsg'] as const) {
    const m = parseMessage(`${EVENT(event)}
  <EventKey><![CDATA[rselfmenu_0_1]]></EventKey>
  <ScanCodeInfo>
    <ScanType><![CDATA[qrcode]]></ScanType>
    <ScanResult><![CDATA[http://weixin.qq.com/r/x]]></ScanResult>
  </ScanCodeInfo>
</xml>`);
    assert.deepEqual(typed(m), {
      ...COMMON, kind: 'event', event, msgType: 'event', eventKey: 'rselfmenu_0_1',
      scanType: 'qrcode', scanResult: 'http://weixin.qq.com/r/x',
    });
  }
});

test('pic_sysphoto, pic_photo_or_album and pic_weixin: one picture or several, always an array', () => {
  const one = parseMessage(`${EVENT('pic_sysphoto')}
  <EventKey><![CDATA[6]]></EventKey>
  <SendPicsInfo>
    <Count>1</Count>
    <PicList><item><PicMd5Sum><![CDATA[1b5f7c23b5bf75682a53e7b6d163e185]]></PicMd5Sum></item></PicList>
  </SendPicsInfo>
</xml>`);
  assert.deepEqual(typed(one), {
    ...COMMON, kind: 'event', event: 'pic_sysphoto', msgType: 'event', eventKey: '6',
    count: 1, picMd5Sums: ['1b5f7c23b5bf75682a53e7b6d163e185'],
  });
  for (const event of ['pic_photo_or_album', 'pic_weixin'] as const) {
    const two = parseMessage(`${EVENT(event)}
  <EventKey><![CDATA[6]]></EventKey>
  <SendPicsInfo>
    <Count>2</Count>
    <PicList>
      <item><PicMd5Sum><![CDATA[aaa]]></PicMd5Sum></item>
      <item><PicMd5Sum><![CDATA[bbb]]></PicMd5Sum></item>
    </PicList>
  </SendPicsInfo>
</xml>`);
    assert.deepEqual(two.kind === 'event' && two.event === event && [two.count, two.picMd5Sums], [2, ['aaa', 'bbb']]);
  }
});

test('location_select', () => {
  const m = parseMessage(`${EVENT('location_select')}
  <EventKey><![CDATA[6]]></EventKey>
  <SendLocationInfo>
    <Location_X><![CDATA[23]]></Location_X>
    <Location_Y><![CDATA[113.5]]></Location_Y>
    <Scale><![CDATA[15]]></Scale>
    <Label><![CDATA[ 广州市海珠区客村艺苑路 106号]]></Label>
    <Poiname><![CDATA[]]></Poiname>
  </SendLocationInfo>
</xml>`);
  assert.deepEqual(typed(m), {
    ...COMMON, kind: 'event', event: 'location_select', msgType: 'event', eventKey: '6',
    locationX: 23, locationY: 113.5, scale: 15, label: ' 广州市海珠区客村艺苑路 106号', poiname: '',
  });
});

test('TEMPLATESENDJOBFINISH keeps MsgID as a string', () => {
  const m = parseMessage(`${EVENT('TEMPLATESENDJOBFINISH')}
  <MsgID>7250021412600020992</MsgID>
  <Status><![CDATA[failed:user block]]></Status>
</xml>`);
  assert.deepEqual(typed(m), {
    ...COMMON, kind: 'event', event: 'templatesendjobfinish', msgType: 'event',
    msgId: '7250021412600020992', status: 'failed:user block',
  });
});

test('MASSSENDJOBFINISH with copyright check and article URLs', () => {
  const m = parseMessage(`${EVENT('MASSSENDJOBFINISH')}
  <MsgID>1000001625</MsgID>
  <Status><![CDATA[err(30003)]]></Status>
  <TotalCount>0</TotalCount>
  <FilterCount>0</FilterCount>
  <SentCount>0</SentCount>
  <ErrorCount>0</ErrorCount>
  <CopyrightCheckResult>
    <Count>2</Count>
    <ResultList>
      <item><ArticleIdx>1</ArticleIdx><UserDeclareState>0</UserDeclareState><AuditState>2</AuditState></item>
      <item><ArticleIdx>2</ArticleIdx><UserDeclareState>0</UserDeclareState><AuditState>2</AuditState></item>
    </ResultList>
    <CheckState>2</CheckState>
  </CopyrightCheckResult>
  <ArticleUrlResult>
    <Count>1</Count>
    <ResultList>
      <item><ArticleIdx>1</ArticleIdx><ArticleUrl><![CDATA[https://mp.weixin.qq.com/s/x]]></ArticleUrl></item>
    </ResultList>
  </ArticleUrlResult>
</xml>`);
  assert.deepEqual(typed(m), {
    ...COMMON, kind: 'event', event: 'masssendjobfinish', msgType: 'event',
    msgId: '1000001625', status: 'err(30003)', totalCount: 0, filterCount: 0, sentCount: 0, errorCount: 0,
    copyrightCheck: {
      count: 2,
      checkState: 2,
      results: [
        { ArticleIdx: '1', UserDeclareState: '0', AuditState: '2' },
        { ArticleIdx: '2', UserDeclareState: '0', AuditState: '2' },
      ],
    },
    articleUrls: [{ articleIdx: 1, articleUrl: 'https://mp.weixin.qq.com/s/x' }],
  });
});

test('PUBLISHJOBFINISH: success with article_detail items', () => {
  const m = parseMessage(`${EVENT('PUBLISHJOBFINISH', 'mphelper')}
  <PublishEventInfo>
    <publish_id>2247503051</publish_id>
    <publish_status>0</publish_status>
    <article_id><![CDATA[b5O2OUs25HBxRceL7hfReg-U9QGeq9zQjiDvy
WP4Hq4]]></article_id>
    <article_detail>
      <count>1</count>
      <item>
        <idx>1</idx>
        <article_url><![CDATA[https://mp.weixin.qq.com/s/abc]]></article_url>
      </item>
    </article_detail>
  </PublishEventInfo>
</xml>`);
  assert.deepEqual(typed(m), {
    ...COMMON, fromUserName: 'mphelper', kind: 'event', event: 'publishjobfinish', msgType: 'event',
    publishId: '2247503051', publishStatus: 0, articleId: 'b5O2OUs25HBxRceL7hfReg-U9QGeq9zQjiDvy\nWP4Hq4',
    articles: [{ idx: 1, articleUrl: 'https://mp.weixin.qq.com/s/abc' }], failIdx: [],
  });
});

test('PUBLISHJOBFINISH: failure with fail_idx once or repeated, always an array', () => {
  const many = parseMessage(`${EVENT('PUBLISHJOBFINISH', 'mphelper')}
  <PublishEventInfo>
    <publish_id>2247503051</publish_id>
    <publish_status>2</publish_status>
    <fail_idx>1</fail_idx>
    <fail_idx>2</fail_idx>
  </PublishEventInfo>
</xml>`);
  assert.deepEqual(many.kind === 'event' && many.event === 'publishjobfinish' && [many.publishStatus, many.failIdx, many.articles], [
    2,
    [1, 2],
    [],
  ]);
  const one = parseMessage(`${EVENT('publishjobfinish', 'mphelper')}
  <PublishEventInfo><publish_id>9</publish_id><publish_status>4</publish_status><fail_idx>3</fail_idx></PublishEventInfo>
</xml>`);
  assert.deepEqual(one.kind === 'event' && one.event === 'publishjobfinish' && one.failIdx, [3]);
});

test('kf_create_session, kf_close_session and kf_switch_session', () => {
  for (const event of ['kf_create_session', 'kf_close_session'] as const) {
    const m = parseMessage(`${EVENT(event)}
  <KfAccount><![CDATA[test1@test]]></KfAccount>
</xml>`);
    assert.deepEqual(typed(m), { ...COMMON, kind: 'event', event, msgType: 'event', kfAccount: 'test1@test' });
  }
  const sw = parseMessage(`${EVENT('kf_switch_session')}
  <FromKfAccount><![CDATA[test1@test]]></FromKfAccount>
  <ToKfAccount><![CDATA[test2@test]]></ToKfAccount>
</xml>`);
  assert.deepEqual(typed(sw), {
    ...COMMON, kind: 'event', event: 'kf_switch_session', msgType: 'event',
    fromKfAccount: 'test1@test', toKfAccount: 'test2@test',
  });
});

test('subscribe_msg_popup_event, _change_event and _sent_event', () => {
  const popup = parseMessage(`${EVENT('subscribe_msg_popup_event')}
  <SubscribeMsgPopupEvent>
    <List>
      <TemplateId><![CDATA[VRR0UEO9VJOLs0MHlU0OilqX6MVFDwH3_3gz3Oc0NIc]]></TemplateId>
      <SubscribeStatusString><![CDATA[accept]]></SubscribeStatusString>
      <PopupScene>2</PopupScene>
    </List>
    <List>
      <TemplateId><![CDATA[9nLIlbOQZC5Y89AZteFEux3WCXRRRG5Wfzkpssu4bLI]]></TemplateId>
      <SubscribeStatusString><![CDATA[reject]]></SubscribeStatusString>
      <PopupScene>2</PopupScene>
    </List>
  </SubscribeMsgPopupEvent>
</xml>`);
  const none = { msgId: undefined, errorCode: undefined, errorStatus: undefined };
  assert.deepEqual(typed(popup), {
    ...COMMON, kind: 'event', event: 'subscribe_msg_popup_event', msgType: 'event',
    items: [
      { templateId: 'VRR0UEO9VJOLs0MHlU0OilqX6MVFDwH3_3gz3Oc0NIc', subscribeStatus: 'accept', popupScene: '2', ...none },
      { templateId: '9nLIlbOQZC5Y89AZteFEux3WCXRRRG5Wfzkpssu4bLI', subscribeStatus: 'reject', popupScene: '2', ...none },
    ],
  });
  const change = parseMessage(`${EVENT('subscribe_msg_change_event')}
  <SubscribeMsgChangeEvent>
    <List>
      <TemplateId><![CDATA[VRR0UEO9VJOLs0MHlU0OilqX6MVFDwH3_3gz3Oc0NIc]]></TemplateId>
      <SubscribeStatusString><![CDATA[reject]]></SubscribeStatusString>
    </List>
  </SubscribeMsgChangeEvent>
</xml>`);
  assert.deepEqual(change.kind === 'event' && change.event === 'subscribe_msg_change_event' && change.items, [
    { templateId: 'VRR0UEO9VJOLs0MHlU0OilqX6MVFDwH3_3gz3Oc0NIc', subscribeStatus: 'reject', popupScene: undefined, ...none },
  ]);
  const sent = parseMessage(`${EVENT('subscribe_msg_sent_event')}
  <SubscribeMsgSentEvent>
    <List>
      <TemplateId><![CDATA[VRR0UEO9VJOLs0MHlU0OilqX6MVFDwH3_3gz3Oc0NIc]]></TemplateId>
      <MsgID>1700827132819554304</MsgID>
      <ErrorCode>0</ErrorCode>
      <ErrorStatus><![CDATA[success]]></ErrorStatus>
    </List>
  </SubscribeMsgSentEvent>
</xml>`);
  assert.deepEqual(sent.kind === 'event' && sent.event === 'subscribe_msg_sent_event' && sent.items, [
    {
      templateId: 'VRR0UEO9VJOLs0MHlU0OilqX6MVFDwH3_3gz3Oc0NIc', subscribeStatus: undefined, popupScene: undefined,
      msgId: '1700827132819554304', errorCode: 0, errorStatus: 'success',
    },
  ]);
});

test('an unknown MsgType or Event is a typed unknown variant with its raw fields, never an exception', () => {
  const file = parseMessage(`${HEAD('file')}
  <Title><![CDATA[report.pdf]]></Title>
  <MsgId>42</MsgId>
</xml>`);
  assert.deepEqual(typed(file), {
    ...COMMON, kind: 'unknown', msgType: 'file', event: undefined, msgId: '42', eventKey: undefined,
  });
  assert.equal(file.raw.Title, 'report.pdf');
  const debug = parseMessage(`${EVENT('debug_demo')}
  <EventKey><![CDATA[k]]></EventKey>
  <debug_str><![CDATA[hello world]]></debug_str>
</xml>`);
  assert.deepEqual(typed(debug), {
    ...COMMON, kind: 'unknown', msgType: 'event', event: 'debug_demo', msgId: undefined, eventKey: 'k',
  });
  assert.equal(debug.raw.debug_str, 'hello world');
  const noEvent = parseMessage(`${HEAD('event')}</xml>`);
  assert.equal(noEvent.kind, 'unknown');
});

test('the fields every callback needs are checked', () => {
  refused(() => parseMessage('<xml><FromUserName>o</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType></xml>'), 'missing_field');
  refused(() => parseMessage('<xml><ToUserName>g</ToUserName><FromUserName>o</FromUserName><MsgType>text</MsgType></xml>'), 'missing_field');
  refused(() => parseMessage('<xml><ToUserName>g</ToUserName><FromUserName>o</FromUserName><CreateTime>1</CreateTime></xml>'), 'missing_field');
  refused(() => parseMessage('<xml><ToUserName>g</ToUserName><FromUserName>o</FromUserName><CreateTime>1.5</CreateTime><MsgType>text</MsgType></xml>'), 'invalid_field');
  refused(() => parseMessage('<xml><ToUserName><x/></ToUserName><FromUserName>o</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType></xml>'), 'missing_field');
  refused(() => parseMessage('<xml/>'), 'missing_field');
});

test('numbers that are not plain decimals are left undefined rather than guessed', () => {
  const m = parseMessage(`${HEAD('location')}<Location_X>0x10</Location_X><Location_Y></Location_Y><Scale>1e3</Scale><Label>x</Label><MsgId>1</MsgId></xml>`);
  assert.deepEqual(m.kind === 'location' && [m.locationX, m.locationY, m.scale], [undefined, undefined, undefined]);
});

test('a Buffer body parses the same as a string', () => {
  const xml = `${HEAD('text')}<Content><![CDATA[中文]]></Content><MsgId>1</MsgId></xml>`;
  assert.deepEqual(parseMessage(Buffer.from(xml)), parseMessage(xml));
});

test('parseEnvelope tells safe, compatible and plain bodies apart', () => {
  const safe = parseEnvelope(`<xml>
  <ToUserName><![CDATA[gh_b4f0e22ae50e]]></ToUserName>
  <Encrypt><![CDATA[a+b/c==]]></Encrypt>
</xml>`);
  assert.deepEqual(safe, { mode: 'safe', toUserName: 'gh_b4f0e22ae50e', encrypt: 'a+b/c==', plaintextFields: undefined });

  const compatibleXml = `${HEAD('text')}<Content><![CDATA[hi]]></Content><MsgId>5</MsgId><Encrypt><![CDATA[zz==]]></Encrypt></xml>`;
  const compatible = parseEnvelope(compatibleXml);
  assert.equal(compatible.mode, 'compatible');
  assert.equal(compatible.encrypt, 'zz==');
  assert.ok(compatible.plaintextFields);
  const message = messageFromFields(compatible.plaintextFields);
  assert.deepEqual(message.kind === 'text' && [message.content, message.msgId], ['hi', '5']);

  const plain = parseEnvelope(`${HEAD('text')}<Content>hi</Content></xml>`);
  assert.deepEqual([plain.mode, plain.encrypt, plain.plaintextFields?.Content], ['plain', undefined, 'hi']);

  refused(() => parseEnvelope('<xml><Encrypt>x</Encrypt></xml>'), 'missing_field');
});
