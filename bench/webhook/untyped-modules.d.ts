// The parts of two untyped dev dependencies the webhook bench uses.

declare module 'wechat' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  /** A request as the middleware expects it: `query` parsed by the host framework; `weixin` set by the middleware. */
  export interface WechatRequest extends IncomingMessage {
    query: Record<string, string>;
    weixin?: Record<string, string>;
  }
  export interface WechatResponse extends ServerResponse {
    /** Sends a passive reply (text for a string), encrypted when the request was. */
    reply(content: string): void;
  }
  export type Next = (err?: unknown) => void;
  export interface WechatConfig {
    token: string;
    appid: string;
    encodingAESKey: string;
  }
  /** node-webot's middleware: verifies, decrypts and parses the callback, then calls `handle`. */
  function wechat(
    config: WechatConfig,
    handle: (req: WechatRequest, res: WechatResponse, next: Next) => void,
  ): (req: WechatRequest, res: WechatResponse, next: Next) => void;
  export default wechat;
}

declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  export interface AutocannonRequest {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    /** Called before each request is sent; return the request to send, or a falsy value to restart the list. */
    setupRequest?: (request: AutocannonRequest, context: Record<string, unknown>) => AutocannonRequest | null | undefined;
  }
  export interface AutocannonOptions {
    url: string;
    connections?: number;
    pipelining?: number;
    /** Seconds. */
    duration?: number;
    timeout?: number;
    requests?: AutocannonRequest[];
    headers?: Record<string, string>;
  }
  export interface Histogram {
    average: number;
    p50: number;
    p99: number;
    max: number;
  }
  export interface AutocannonResult {
    requests: Histogram & { total: number };
    latency: Histogram;
    errors: number;
    timeouts: number;
    non2xx: number;
    '2xx': number;
    start: Date;
    finish: Date;
    statusCodeStats: Record<string, { count: number }>;
  }
  export interface Instance extends EventEmitter {
    on(event: 'response', listener: (client: unknown, statusCode: number, resBytes: number, responseTime: number) => void): this;
    on(event: 'done', listener: (result: AutocannonResult) => void): this;
    stop(): void;
  }
  function autocannon(options: AutocannonOptions, callback: (err: Error | null, result: AutocannonResult) => void): Instance;
  export default autocannon;
}
