/**
 * Shared set-up for the publisher's simulator tests: a WeChat simulator, a real SQLite store and a WeChatClient
 * in a temp dir, and real image files made with sharp.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { startWechatSimulator, type WechatSimulator, type WechatSimulatorOptions } from '../../src/sim/wechat/index.js';
import { SqliteStore } from '../../src/store/index.js';
import { WeChatClient } from '../../src/wechat-api/index.js';

export interface PublisherHarness {
  sim: WechatSimulator;
  store: SqliteStore;
  client: WeChatClient;
  dir: string;
  close(): Promise<void>;
}

/** A simulator, a SQLite store in a fresh temp dir and a client of the simulator's account. */
export async function startPublisherHarness(options: WechatSimulatorOptions = {}): Promise<PublisherHarness> {
  const sim = await startWechatSimulator({ port: 0, publishDelayMs: 30, ...options });
  const dir = mkdtempSync(join(tmpdir(), 'mpgate-publisher-'));
  const store = new SqliteStore({ path: join(dir, 'store.db'), sweepIntervalMs: 0 });
  const client = new WeChatClient({ appId: sim.account.appId, appSecret: sim.account.appSecret, store, apiBase: sim.apiBase });
  return {
    sim,
    store,
    client,
    dir,
    async close() {
      await sim.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A real image: a flat colour (small files), or random noise (files that do not compress). */
export async function makeImage(options: { width: number; height: number; format: 'png' | 'jpeg' | 'webp' | 'gif'; noise?: boolean; alpha?: boolean; color?: string }): Promise<Buffer> {
  const channels = options.alpha ? 4 : 3;
  let image: Sharp;
  if (options.noise) {
    const raw = randomBytes(options.width * options.height * channels);
    image = sharp(raw, { raw: { width: options.width, height: options.height, channels } });
  } else {
    image = sharp({ create: { width: options.width, height: options.height, channels, background: options.color ?? '#3366cc' } });
  }
  if (options.format === 'png') return image.png().toBuffer();
  if (options.format === 'jpeg') return image.jpeg({ quality: 90 }).toBuffer();
  if (options.format === 'gif') return image.gif().toBuffer();
  return image.webp().toBuffer();
}

/** Writes a file (creating its folder) and returns its path. */
export function writeFixture(dir: string, name: string, content: string | Buffer): string {
  const path = join(dir, name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  return path;
}

/** An article with two local images and a cover, in `dir`. */
export async function writeArticleWithImages(dir: string, name = 'post.md', extra = ''): Promise<string> {
  writeFixture(dir, 'img/one.png', await makeImage({ width: 64, height: 48, format: 'png', color: '#ff0000' }));
  writeFixture(dir, 'img/two.jpg', await makeImage({ width: 80, height: 40, format: 'jpeg', color: '#00ff00' }));
  writeFixture(dir, 'img/cover.jpg', await makeImage({ width: 90, height: 38, format: 'jpeg', color: '#0000ff' }));
  return writeFixture(
    dir,
    name,
    `---
title: 发布测试
author: 测试者
digest: 一篇带两张图的文章
cover: ./img/cover.jpg
source_url: https://example.com/post
comments: true
---

第一段文字。

![第一张](./img/one.png)

第二段，带一个 [外链](https://example.com/x)。

![第二张](img/two.jpg)
${extra}`,
  );
}
