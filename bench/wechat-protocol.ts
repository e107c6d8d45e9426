/**
 * WeChat protocol core: `node --import tsx bench/wechat-protocol.ts` (about 10 s; BENCH_WECHAT_ROUNDS, default 40).
 * Rows are measured in interleaved rounds (every row once per round, ~10 ms each, alternating direction) so load
 * from other processes hits all rows alike; each figure is the median µs per operation over the rounds.
 * Baselines run in the same process on the same inputs: the `wechat-crypto` package (node-webot's
 * WXBizMsgCrypt) for the crypto, fast-xml-parser (validate + parse, the options a strict parse needs) for XML.
 */
import { cpus, loadavg } from 'node:os';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
// @ts-expect-error -- wechat-crypto ships no type declarations
import WXBizMsgCrypt from 'wechat-crypto';
import {
  buildEncryptedReply,
  buildTextReply,
  computeMsgSignature,
  parseMessage,
  replyAddress,
  WechatCrypto,
} from '../src/wechat/index.js';

interface LegacyCrypto {
  getSignature(timestamp: string, nonce: string, encrypt: string): string;
  decrypt(encrypt: string): { message: string; id: string };
  encrypt(text: string): string;
}
const Legacy = WXBizMsgCrypt as new (token: string, encodingAESKey: string, appId: string) => LegacyCrypto;

const ROUNDS = Number(process.env.BENCH_WECHAT_ROUNDS ?? 40);
const SLICE_MS = 10;

const token = 'mpgateBenchToken2026';
const encodingAESKey = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const appId = 'wx2c2769f8efd9abc2';
const timestamp = '1714112446';
const nonce = '1320562132';

// A realistic inbound text message and a typical AI answer chunk (~900 UTF-8 bytes).
const inbound = `<xml><ToUserName><![CDATA[gh_b4f0e22ae50e]]></ToUserName>
<FromUserName><![CDATA[oJqxQwYRyZMXFTc8sipB5TSe6Vw4]]></FromUserName>
<CreateTime>1714112445</CreateTime>
<MsgType><![CDATA[text]]></MsgType>
<Content><![CDATA[你好，请帮我总结一下这篇文章的主要观点，并给出三条可以马上行动的建议。谢谢！]]></Content>
<MsgId>7250021412600020992</MsgId>
</xml>`;
const answer = '这是人工智能助手的回答，包含若干要点与建议。'.repeat(14);

const mpgate = new WechatCrypto({ token, encodingAESKey, appId });
const legacy = new Legacy(token, encodingAESKey, appId);
const encrypt = mpgate.encrypt(inbound);
const msgSignature = mpgate.signature(timestamp, nonce, encrypt);
const fxp = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: true, processEntities: false });

// Both sides must do the same work: each opens the other's ciphertext and yields the same message.
const opened = legacy.decrypt(encrypt);
if (opened.message !== inbound || opened.id !== appId || mpgate.decrypt(legacy.encrypt(inbound)) !== inbound) {
  throw new Error('wechat-crypto and mpgate disagree on the test message');
}

/** The whole safe-mode webhook path for one message, minus HTTP and the AI. */
function fullPath(): string {
  if (!mpgate.verifySignature(msgSignature, timestamp, nonce, encrypt)) throw new Error('signature');
  const { xml, keyIndex } = mpgate.decryptDetailed(encrypt);
  const message = parseMessage(xml);
  const reply = buildTextReply(replyAddress(message, message.createTime + 1), answer);
  return buildEncryptedReply(mpgate, reply, timestamp, nonce, { keyIndex });
}

type Op = () => unknown;
const rows: Array<{ name: string; ours: Op; baseline?: Op; baselineName?: string }> = [
  { name: 'safe-mode message: verify + decrypt + parse + reply + encrypt + sign', ours: fullPath },
  {
    name: 'crypto: decrypt + encrypt (same message)',
    ours: () => mpgate.encrypt(mpgate.decrypt(encrypt)),
    baseline: () => legacy.encrypt(legacy.decrypt(encrypt).message),
    baselineName: 'wechat-crypto',
  },
  { name: 'decrypt', ours: () => mpgate.decrypt(encrypt), baseline: () => legacy.decrypt(encrypt), baselineName: 'wechat-crypto' },
  { name: 'encrypt', ours: () => mpgate.encrypt(inbound), baseline: () => legacy.encrypt(inbound), baselineName: 'wechat-crypto' },
  {
    name: 'msg_signature',
    ours: () => computeMsgSignature(token, timestamp, nonce, encrypt),
    baseline: () => legacy.getSignature(timestamp, nonce, encrypt),
    baselineName: 'wechat-crypto',
  },
  {
    name: 'parse text message XML (typed)',
    ours: () => parseMessage(inbound),
    baseline: () => XMLValidator.validate(inbound) === true && fxp.parse(inbound),
    baselineName: 'fast-xml-parser',
  },
];

/** Runs `op` for about SLICE_MS; returns µs per call. The batch size is found once, in the warm-up. */
function slice(op: Op, batch: number): number {
  const start = performance.now();
  for (let i = 0; i < batch; i++) op();
  return ((performance.now() - start) * 1000) / batch;
}

function calibrate(op: Op): number {
  for (const until = performance.now() + 200; performance.now() < until; ) op(); // warm-up (JIT)
  const perCall = slice(op, 200);
  return Math.max(10, Math.round((SLICE_MS * 1000) / perCall));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

const ops = rows.flatMap((row) => (row.baseline ? [row.ours, row.baseline] : [row.ours]));
const batches = ops.map(calibrate);
const samples: number[][] = ops.map(() => []);
for (let round = 0; round < ROUNDS; round++) {
  // Odd rounds run the rows backwards, so no row always follows the same neighbour (cache/JIT order effects).
  const order = ops.map((_, i) => (round % 2 ? ops.length - 1 - i : i));
  for (const i of order) samples[i]?.push(slice(ops[i] as Op, batches[i] ?? 10));
}
const medians = samples.map(median);

const cpu = cpus();
console.log(
  `node ${process.version}, ${cpu[0]?.model.trim() ?? 'unknown CPU'} ×${cpu.length}, load average ${loadavg()[0]?.toFixed(1)}; ` +
    `${ROUNDS} rounds, median µs per operation\n`,
);
console.log('| operation | mpgate µs | baseline | baseline µs | baseline / mpgate |');
console.log('|---|---:|---|---:|---:|');
let at = 0;
for (const row of rows) {
  const ours = medians[at++] as number;
  if (row.baseline) {
    const theirs = medians[at++] as number;
    console.log(`| ${row.name} | ${ours.toFixed(2)} | ${row.baselineName} | ${theirs.toFixed(2)} | ${(theirs / ours).toFixed(2)}× |`);
  } else {
    console.log(`| ${row.name} | ${ours.toFixed(2)} | | | |`);
  }
}
