import type { WeChatClient } from './client.js';

/** Per-call options every endpoint method accepts. */
export interface CallOptions {
  /** Overrides the client's timeout for this call (ms). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Base of the endpoint groups (`client.message`, `client.media` …): each holds the client it calls through. */
export abstract class APIResource {
  protected readonly client: WeChatClient;
  constructor(client: WeChatClient) {
    this.client = client;
  }
}
