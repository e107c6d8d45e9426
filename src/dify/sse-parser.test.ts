import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SseParser, type SseEvent } from './sse-parser.js';

const encoder = new TextEncoder();

/** A Chatflow stream as Dify ≥ 1.13 writes it: opening ping, compact UTF-8 JSON, Chinese and emoji deltas. */
const RECORDED = [
  'event: ping',
  '',
  'data: {"event":"workflow_started","task_id":"t1","workflow_run_id":"r1","data":{"id":"r1"}}',
  '',
  ': keep-alive comment',
  'data: {"event":"message","task_id":"t1","message_id":"m1","conversation_id":"c1","answer":"你好，世界"}',
  '',
  'data: {"event":"message","task_id":"t1","message_id":"m1","conversation_id":"c1","answer":" 🙂👍🏽 emoji"}',
  '',
  'event: ping',
  '',
  'data: {"event":"agent_thought","thought":"第一行',
  'data: 第二行"}',
  '',
  'data: {"event":"message_end","task_id":"t1","message_id":"m1","conversation_id":"c1","metadata":{}}',
  '',
  'data: {"event":"workflow_finished","task_id":"t1","workflow_run_id":"r1","data":{"status":"succeeded"}}',
  '',
  '',
].join('\n');

const EXPECTED: SseEvent[] = [
  { event: 'ping', data: '', id: undefined, retry: undefined },
  {
    event: undefined,
    data: '{"event":"workflow_started","task_id":"t1","workflow_run_id":"r1","data":{"id":"r1"}}',
    id: undefined,
    retry: undefined,
  },
  {
    event: undefined,
    data: '{"event":"message","task_id":"t1","message_id":"m1","conversation_id":"c1","answer":"你好，世界"}',
    id: undefined,
    retry: undefined,
  },
  {
    event: undefined,
    data: '{"event":"message","task_id":"t1","message_id":"m1","conversation_id":"c1","answer":" 🙂👍🏽 emoji"}',
    id: undefined,
    retry: undefined,
  },
  { event: 'ping', data: '', id: undefined, retry: undefined },
  { event: undefined, data: '{"event":"agent_thought","thought":"第一行\n第二行"}', id: undefined, retry: undefined },
  {
    event: undefined,
    data: '{"event":"message_end","task_id":"t1","message_id":"m1","conversation_id":"c1","metadata":{}}',
    id: undefined,
    retry: undefined,
  },
  {
    event: undefined,
    data: '{"event":"workflow_finished","task_id":"t1","workflow_run_id":"r1","data":{"status":"succeeded"}}',
    id: undefined,
    retry: undefined,
  },
];

/** Feeds `bytes` cut at the given offsets and collects every event, `end()` included. */
function parseSplit(bytes: Uint8Array, cuts: readonly number[]): SseEvent[] {
  const parser = new SseParser();
  const out: SseEvent[] = [];
  let start = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    out.push(...parser.feed(bytes.subarray(start, cut)));
    start = cut;
  }
  out.push(...parser.feed(bytes.subarray(start)));
  out.push(...parser.end());
  return out;
}

function withLineEnds(text: string, eol: string): Uint8Array {
  return encoder.encode(text.replace(/\n/g, eol));
}

describe('SseParser', () => {
  it('parses a recorded Dify stream fed in one chunk', () => {
    assert.deepEqual(parseSplit(encoder.encode(RECORDED), []), EXPECTED);
  });

  it('yields identical events for 600 random byte splits, LF, CRLF and CR (fast-check)', () => {
    for (const eol of ['\n', '\r\n', '\r']) {
      const bytes = withLineEnds(RECORDED, eol);
      fc.assert(
        fc.property(fc.uniqueArray(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 40 }), (cuts) => {
          assert.deepEqual(parseSplit(bytes, cuts), EXPECTED);
        }),
        { numRuns: 600 },
      );
    }
  });

  it('yields identical events for a split at every single byte offset (covers every UTF-8 interior and every \\r|\\n)', () => {
    const bytes = withLineEnds(RECORDED, '\r\n');
    let insideMultiByte = 0;
    let betweenCrLf = 0;
    for (let cut = 1; cut < bytes.length; cut += 1) {
      if (((bytes[cut] as number) & 0xc0) === 0x80) insideMultiByte += 1;
      if (bytes[cut - 1] === 0x0d && bytes[cut] === 0x0a) betweenCrLf += 1;
      assert.deepEqual(parseSplit(bytes, [cut]), EXPECTED, `split at byte ${cut}`);
    }
    // The recorded stream really exercises the hard cases.
    assert.ok(insideMultiByte >= 30, `only ${insideMultiByte} splits fell inside a multi-byte character`);
    assert.equal(betweenCrLf, RECORDED.split('\n').length - 1);
  });

  it('parses a stream fed one byte at a time', () => {
    const bytes = withLineEnds(RECORDED, '\r\n');
    const cuts = Array.from({ length: bytes.length - 1 }, (_, i) => i + 1);
    assert.deepEqual(parseSplit(bytes, cuts), EXPECTED);
  });

  it('treats mixed CR, LF and CRLF line ends alike, including a CR at the end of a chunk followed by a CR', () => {
    const bytes = encoder.encode('data: a\r\rdata: b\n\ndata: c\r\n\r\nevent: ping\r\r');
    const expected = ['a', 'b', 'c'].map((data) => ({ event: undefined, data, id: undefined, retry: undefined }));
    expected.push({ event: 'ping', data: '', id: undefined, retry: undefined } as never);
    assert.deepEqual(parseSplit(bytes, []), expected);
    assert.deepEqual(parseSplit(bytes, [8, 9]), expected); // cut right after each `\r` of `a\r\r`
  });

  it('skips comment lines and keeps `event: ping` frames that have no data', () => {
    const events = parseSplit(encoder.encode(':comment\n: another\n\nevent: ping\n\n:\ndata: x\n\n'), []);
    assert.deepEqual(
      events.map((e) => [e.event, e.data]),
      [
        ['ping', ''],
        [undefined, 'x'],
      ],
    );
  });

  it('emits a final event that lacks its closing blank line', () => {
    const parser = new SseParser();
    assert.deepEqual(parser.feed(encoder.encode('data: {"event":"message_end"}')), []);
    assert.deepEqual(parser.end(), [{ event: undefined, data: '{"event":"message_end"}', id: undefined, retry: undefined }]);
    assert.deepEqual(parser.end(), []);
  });

  it('emits a final event ended by a single line end', () => {
    assert.deepEqual(parseSplit(encoder.encode('data: last\r'), []), [
      { event: undefined, data: 'last', id: undefined, retry: undefined },
    ]);
  });

  it('reads id and retry, strips exactly one space after the colon, and ignores unknown fields', () => {
    const events = parseSplit(
      encoder.encode('id: 7\nretry: 1500\nretry: soon\nfoo: bar\ndata:  two spaces\ndata\ndata:x\n\n'),
      [],
    );
    assert.deepEqual(events, [{ event: undefined, data: ' two spaces\n\nx', id: '7', retry: 1500 }]);
  });

  it('drops an id containing NUL, and a byte-order mark at the start', () => {
    const bom = new Uint8Array([0xef, 0xbb, 0xbf]);
    const rest = encoder.encode('id: a\0b\ndata: y\n\n');
    const bytes = new Uint8Array(bom.length + rest.length);
    bytes.set(bom);
    bytes.set(rest, bom.length);
    assert.deepEqual(parseSplit(bytes, [1, 2]), [{ event: undefined, data: 'y', id: undefined, retry: undefined }]);
  });
});
