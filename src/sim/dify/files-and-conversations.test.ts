import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startDifySimulator, type DifySimulator } from './index.js';
import { getWithKey, multipartBody, postJson } from './test-support/http.js';

/** files/upload, audio-to-text, text-to-audio, files[] on messages, and the conversation/message listings. */

let sim: DifySimulator;
const keyOf = (mode: string) => sim.apps.find((a) => a.mode === mode)?.apiKey ?? '';

before(async () => {
  sim = await startDifySimulator();
});
after(() => sim.close());

async function upload(key: string, parts: Parameters<typeof multipartBody>[0], path = 'files/upload'): Promise<Response> {
  const { body, contentType } = multipartBody(parts);
  return fetch(`${sim.serviceBase}/${path}`, { method: 'POST', headers: { Authorization: `Bearer ${key}`, 'Content-Type': contentType }, body: new Uint8Array(body) });
}

describe('files/upload', () => {
  test('201 with Dify FileResponse fields; the signed source_url serves the bytes', async () => {
    const res = await upload(keyOf('chat'), [
      { name: 'user', data: 'alice' },
      { name: 'file', filename: 'photo.PNG', contentType: 'image/png', data: Buffer.from('pngbytes') },
    ]);
    assert.equal(res.status, 201);
    const f = (await res.json()) as Record<string, unknown>;
    for (const k of ['id', 'name', 'size', 'extension', 'mime_type', 'created_by', 'created_at', 'preview_url', 'source_url', 'original_url', 'user_id', 'tenant_id', 'conversation_id', 'file_key']) {
      assert.ok(k in f, `has ${k}`);
    }
    assert.deepEqual([f.name, f.size, f.extension, f.mime_type], ['photo.PNG', 8, 'png', 'image/png']);
    const served = await fetch(String(f.source_url));
    assert.equal(await served.text(), 'pngbytes');
  });

  test('no file → 400 no_file_uploaded; two files → too_many_files; no part Content-Type → 415; slash in name → 400', async () => {
    const png = { contentType: 'image/png', data: 'x' };
    const cases: Array<[Parameters<typeof multipartBody>[0], number, string]> = [
      [[{ name: 'user', data: 'u' }], 400, 'no_file_uploaded'],
      [
        [
          { name: 'file', filename: 'a.png', ...png },
          { name: 'file2', filename: 'b.png', ...png },
        ],
        400,
        'too_many_files',
      ],
      [[{ name: 'file', filename: 'a.png', data: 'x' }], 415, 'unsupported_file_type'],
      [[{ name: 'file', filename: 'dir/a.png', ...png }], 400, 'invalid_param'],
    ];
    for (const [parts, status, code] of cases) {
      const res = await upload(keyOf('chat'), parts);
      assert.equal(res.status, status, code);
      assert.equal(((await res.json()) as { code: string }).code, code);
    }
  });

  test('size limits by extension: image 10 MB, others 15 MB → 413 file_too_large; any extension is accepted at upload', async () => {
    const MB = 1024 * 1024;
    let res = await upload(keyOf('chat'), [{ name: 'file', filename: 'big.jpg', contentType: 'image/jpeg', data: Buffer.alloc(10 * MB + 1) }]);
    assert.equal(res.status, 413);
    assert.equal(((await res.json()) as { code: string }).code, 'file_too_large');
    res = await upload(keyOf('chat'), [{ name: 'file', filename: 'ok.pdf', contentType: 'application/pdf', data: Buffer.alloc(10 * MB + 1) }]);
    assert.equal(res.status, 201, 'a document of 10 MB + 1 is under its 15 MB limit');
    res = await upload(keyOf('chat'), [{ name: 'file', filename: 'big.pdf', contentType: 'application/pdf', data: Buffer.alloc(15 * MB + 1) }]);
    assert.equal(res.status, 413);
    res = await upload(keyOf('chat'), [{ name: 'file', filename: 'tool.exe', contentType: 'application/octet-stream', data: 'MZ' }]);
    assert.equal(res.status, 201);
  });
});

describe('files in messages', () => {
  test('owner-checked upload ids, type rules, count limit; files ignored when the feature is off', async () => {
    const up = async (user: string, filename: string, type: string) =>
      ((await (await upload(keyOf('chat'), [{ name: 'user', data: user }, { name: 'file', filename, contentType: type, data: 'x' }])).json()) as { id: string }).id;
    const mine = await up('alice', 'cat.png', 'image/png');
    const send = (files: unknown[], user = 'alice', key = keyOf('chat')) => postJson(`${sim.serviceBase}/chat-messages`, key, { query: 'look', inputs: {}, user, files });
    let res = await send([{ type: 'image', transfer_method: 'local_file', upload_file_id: mine }]);
    assert.equal(res.status, 200);
    res = await send([{ type: 'image', transfer_method: 'local_file', upload_file_id: mine }], 'bob');
    assert.deepEqual(await res.json(), { code: 'invalid_param', message: 'Invalid upload file', status: 400 });
    res = await send([{ type: 'image', transfer_method: 'local_file', upload_file_id: 'nope' }]);
    assert.equal(((await res.json()) as { message: string }).message, 'Invalid upload file id format');
    const doc = await up('alice', 'notes.pdf', 'application/pdf');
    res = await send([{ type: 'document', transfer_method: 'local_file', upload_file_id: doc }]);
    assert.equal(((await res.json()) as { message: string }).message, 'File validation failed for file: notes.pdf');
    res = await send(Array.from({ length: 4 }, () => ({ type: 'image', transfer_method: 'remote_url', url: 'https://example.com/a.png' })));
    assert.equal(((await res.json()) as { message: string }).message, 'Number of files exceeds the maximum limit 3');
    res = await send([{ type: 'image', transfer_method: 'remote_url' }, { type: 'image' }]);
    assert.equal(res.status, 200, 'items without url / transfer_method are dropped silently');
    res = await send([{ type: 'image', transfer_method: 'local_file', upload_file_id: 'nope' }], 'alice', keyOf('agent-chat'));
    assert.equal(res.status, 400, 'agent app: still the blocking refusal first');
    const off = sim.addApp({ mode: 'chat', fileUpload: false });
    res = await send([{ type: 'image', transfer_method: 'local_file', upload_file_id: 'nope' }], 'alice', off.apiKey);
    assert.equal(res.status, 200, 'file upload disabled: files are ignored, not rejected');
  });
});

describe('audio', () => {
  test('audio-to-text: audio/amr accepted; audio/mpeg → 415; > 30 MB → 413; STT disabled → 400; no file → 400', async () => {
    let res = await upload(keyOf('chat'), [{ name: 'file', filename: 'voice.amr', contentType: 'audio/amr', data: '#!AMR\n' }], 'audio-to-text');
    assert.deepEqual(await res.json(), { text: 'This is a simulated transcript.' });
    res = await upload(keyOf('chat'), [{ name: 'file', filename: 'a.mp3', contentType: 'audio/mpeg', data: 'x' }], 'audio-to-text');
    assert.deepEqual([res.status, ((await res.json()) as { code: string }).code], [415, 'unsupported_audio_type']);
    res = await upload(keyOf('chat'), [{ name: 'file', filename: 'a.wav', contentType: 'audio/wav', data: Buffer.alloc(30 * 1024 * 1024 + 1) }], 'audio-to-text');
    assert.deepEqual(await res.json(), { code: 'audio_too_large', message: 'Audio size larger than 30 mb', status: 413 });
    res = await upload(keyOf('workflow'), [{ name: 'file', filename: 'a.amr', contentType: 'audio/amr', data: 'x' }], 'audio-to-text');
    assert.deepEqual(await res.json(), { code: 'invalid_param', message: 'Speech to text is not enabled', status: 400 });
    res = await upload(keyOf('chat'), [{ name: 'user', data: 'u' }], 'audio-to-text');
    assert.equal(((await res.json()) as { code: string }).code, 'bad_request_key_error');
  });

  test('text-to-audio: audio/mpeg bytes when TTS is on; 400 when off; JSON null for an unknown message id', async () => {
    let res = await postJson(`${sim.serviceBase}/text-to-audio`, keyOf('completion'), { text: 'hello', user: 'u' });
    assert.equal(res.headers.get('content-type'), 'audio/mpeg');
    assert.ok((await res.arrayBuffer()).byteLength > 0);
    res = await postJson(`${sim.serviceBase}/text-to-audio`, keyOf('completion'), { message_id: 'unknown', user: 'u' });
    assert.equal(await res.text(), 'null\n');
    res = await postJson(`${sim.serviceBase}/text-to-audio`, keyOf('chat'), { text: 'hello' });
    assert.deepEqual(await res.json(), { code: 'invalid_param', message: 'TTS is not enabled', status: 400 });
  });
});

describe('conversations and messages', () => {
  test('list: -updated_at by default, pagination with last_id and has_more, 404 for an unknown last_id', async () => {
    const app = sim.addApp({ mode: 'chat' });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = (await (await postJson(`${sim.serviceBase}/chat-messages`, app.apiKey, { query: `q${i}`, inputs: {}, user: 'lister' })).json()) as { conversation_id: string };
      ids.push(r.conversation_id);
    }
    // Touch the oldest one: it becomes the most recently updated.
    await postJson(`${sim.serviceBase}/chat-messages`, app.apiKey, { query: 'again', inputs: {}, user: 'lister', conversation_id: ids[0] });
    const page1 = (await (await getWithKey(`${sim.serviceBase}/conversations?user=lister&limit=2`, app.apiKey)).json()) as { has_more: boolean; limit: number; data: Array<{ id: string; name: string }> };
    assert.deepEqual([page1.limit, page1.has_more], [2, true]);
    assert.deepEqual(page1.data.map((c) => c.id), [ids[0], ids[4]]);
    const page2 = (await (await getWithKey(`${sim.serviceBase}/conversations?user=lister&limit=2&last_id=${ids[4]}`, app.apiKey)).json()) as { data: Array<{ id: string }> };
    assert.deepEqual(page2.data.map((c) => c.id), [ids[3], ids[2]]);
    const created = (await (await getWithKey(`${sim.serviceBase}/conversations?user=lister&sort_by=created_at`, app.apiKey)).json()) as { has_more: boolean; data: Array<{ id: string }> };
    assert.deepEqual(created.data.map((c) => c.id), ids);
    assert.equal(created.has_more, false);
    let res = await getWithKey(`${sim.serviceBase}/conversations?user=lister&last_id=${crypto.randomUUID()}`, app.apiKey);
    assert.equal(res.status, 404);
    assert.match(((await res.json()) as { message: string }).message, /^Last Conversation Not Exists\. You have requested this URI/);
    res = await getWithKey(`${sim.serviceBase}/conversations?user=lister&limit=101`, app.apiKey);
    assert.equal(res.status, 400);
    res = await getWithKey(`${sim.serviceBase}/conversations?user=nobody`, app.apiKey);
    assert.deepEqual(((await res.json()) as { data: unknown[] }).data, []);
  });

  test('rename and messages: oldest → newest within a page, first_id pages back', async () => {
    const app = sim.addApp({ mode: 'chat' });
    let conversationId = '';
    for (let i = 0; i < 5; i++) {
      const r = (await (
        await postJson(`${sim.serviceBase}/chat-messages`, app.apiKey, { query: `m${i}`, inputs: {}, user: 'reader', ...(conversationId ? { conversation_id: conversationId } : {}) })
      ).json()) as { conversation_id: string };
      conversationId = r.conversation_id;
    }
    const page = (await (await getWithKey(`${sim.serviceBase}/messages?user=reader&conversation_id=${conversationId}&limit=2`, app.apiKey)).json()) as {
      has_more: boolean;
      data: Array<{ id: string; query: string; answer: string }>;
    };
    assert.deepEqual(page.data.map((m) => m.query), ['m3', 'm4']);
    assert.equal(page.has_more, true);
    const older = (await (await getWithKey(`${sim.serviceBase}/messages?user=reader&conversation_id=${conversationId}&limit=2&first_id=${page.data[0]?.id}`, app.apiKey)).json()) as {
      data: Array<{ query: string }>;
    };
    assert.deepEqual(older.data.map((m) => m.query), ['m1', 'm2']);
    const empty = (await (await getWithKey(`${sim.serviceBase}/messages?user=reader&conversation_id=`, app.apiKey)).json()) as { has_more: boolean; data: unknown[] };
    assert.deepEqual(empty, { limit: 20, has_more: false, data: [] });

    const rename = await postJson(`${sim.serviceBase}/conversations/${conversationId}/name`, app.apiKey, { name: 'Renamed', user: 'reader' });
    assert.equal(((await rename.json()) as { name: string }).name, 'Renamed');
    const auto = await postJson(`${sim.serviceBase}/conversations/${conversationId}/name`, app.apiKey, { auto_generate: true, user: 'reader' });
    assert.equal(((await auto.json()) as { name: string }).name, 'm0');
    const bad = await postJson(`${sim.serviceBase}/conversations/${conversationId}/name`, app.apiKey, { user: 'reader' });
    assert.match(((await bad.json()) as { message: string }).message, /name is required when auto_generate is false/);
  });
});
