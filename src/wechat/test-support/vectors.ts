import { readFileSync } from 'node:fs';

/** One entry of test-vectors.json (copied verbatim from the shared reference). */
export interface CryptoVector {
  name: string;
  exercises: string[];
  token: string;
  encoding_aes_key: string;
  appid: string;
  receive_id: string;
  timestamp: string;
  nonce: string;
  signature: string | null;
  echostr: string | null;
  encrypt: string;
  msg_signature: string;
  plaintext: string;
  random16: string;
  random16_fixed_in_source: string | null;
  pkcs7_pad_bytes: number;
  negative_cases: Array<{ change: Record<string, string>; expect: string }>;
}

/** The four WXBizMsgCrypt golden vectors. */
export const CRYPTO_VECTORS: CryptoVector[] = JSON.parse(
  readFileSync(new URL('./test-vectors.json', import.meta.url), 'utf8'),
) as CryptoVector[];

/** The worked examples of the official push/encryption guide (wechat-platform.md §1.6). */
export const OFFICIAL_GUIDE = {
  token: 'AAAAA',
  encodingAESKey: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
  appId: 'wxba5fad812f8e6fb9',
  get: { timestamp: '1714036504', nonce: '1514711492', signature: 'f464b24fc39322e44b38aa78f5edd27bd1441696' },
  postPlain: { timestamp: '1714037059', nonce: '486452656', signature: '899cf89e464efb63f54ddac96b0a0a235f53aa78' },
  postSafe: {
    timestamp: '1714112445',
    nonce: '415670741',
    signature: '6c5c811b55cc85e0e1b54100749188c20beb3f5d',
    msgSignature: '046e02f8204d34f8ba5fa3b1db94908f3df2e9b3',
    encrypt:
      '+qdx1OKCy+5JPCBFWw70tm0fJGb2Jmeia4FCB7kao+/Q5c/ohsOzQHi8khUOb05JCpj0JB4RvQMkUyus8TPxLKJGQqcvZqzDpVzazhZv6JsXUnnR8XGT740XgXZUXQ7vJVnAG+tE8NUd4yFyjPy7GgiaviNrlCTj+l5kdfMuFUPpRSrfMZuMcp3Fn2Pede2IuQrKEYwKSqFIZoNqJ4M8EajAsjLY2km32IIjdf8YL/P50F7mStwntrA2cPDrM1kb6mOcfBgRtWygb3VIYnSeOBrebufAlr7F9mFUPAJGj04=',
    random16: 'a8eedb185eb2fecf',
    messageLength: 167,
    padLength: 19,
    message:
      '{"ToUserName":"gh_97417a04a28d","FromUserName":"o9AgO5Kd5ggOC-bXrbNODIiE3bGY","CreateTime":1714112445,"MsgType":"event","Event":"debug_demo","debug_str":"hello world"}',
  },
  reply: {
    random16: '707722b803182950',
    message: '{"demo_resp":"good luck"}',
    encrypt: 'ELGduP2YcVatjqIS+eZbp80MNLoAUWvzzyJxgGzxZO/5sAvd070Bs6qrLARC9nVHm48Y4hyRbtzve1L32tmxSQ==',
    timestamp: '1713424427',
    nonce: '415670741',
    msgSignature: '1b9339964ed2e271e7c7b6ff2b0ef902fc94dea1',
  },
} as const;
