import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SimContext } from '../context.js';
import { AUDIO_TO_TEXT_LIMIT_BYTES, extensionOf, isAllowedAudioMimeType, uploadLimitBytes } from '../file-rules.js';
import { DifyHttpError, invalidParam, WERKZEUG_MESSAGES } from '../http-errors.js';
import { multipartBoundary, parseMultipart, type MultipartPart } from '../multipart.js';
import { sendRestx } from '../reply.js';
import { signedQuery } from '../signed-url.js';
import { authenticateApp } from './app-auth.js';
import { rawBody, readJsonBody, userFromBody } from './request-parsing.js';

/** files/upload, audio-to-text and text-to-audio (reference §7). */

interface MultipartForm {
  files: MultipartPart[];
  fields: Map<string, string>;
}

/** Parses a multipart request; a non-multipart body reads as an empty form (Flask's `request.files` is empty). */
function readForm(req: FastifyRequest): MultipartForm {
  const boundary = multipartBoundary(req.headers['content-type']);
  if (!boundary) return { files: [], fields: new Map() };
  let parts: MultipartPart[];
  try {
    parts = parseMultipart(rawBody(req), boundary);
  } catch {
    throw new DifyHttpError(400, 'bad_request', WERKZEUG_MESSAGES.badRequest);
  }
  const fields = new Map<string, string>();
  const files: MultipartPart[] = [];
  for (const p of parts) {
    if (p.filename !== undefined) files.push(p);
    else fields.set(p.name, p.data.toString('utf8'));
  }
  return { files, fields };
}

function formUser(form: MultipartForm): string {
  return form.fields.get('user') || 'DEFAULT-USER';
}

/** Registers the file and audio endpoints. */
export function registerFileRoutes(app: FastifyInstance, ctx: SimContext): void {
  app.post('/v1/files/upload', async (req, reply) => {
    const appRec = authenticateApp(req, ctx);
    const form = readForm(req);
    const user = formUser(form);
    ctx.calls.of(req).user = user;
    if (form.files.length === 0 || !form.files.some((f) => f.name === 'file')) {
      throw new DifyHttpError(400, 'no_file_uploaded', 'Please upload your file.');
    }
    if (form.files.length > 1) throw new DifyHttpError(400, 'too_many_files', 'Only one file is allowed.');
    const file = form.files[0] as MultipartPart;
    if (!file.contentType) throw new DifyHttpError(415, 'unsupported_file_type', 'File type not allowed.');
    if (!file.filename) throw new DifyHttpError(400, 'filename_not_exists_error', 'The specified filename does not exist.');
    if (file.filename.includes('/') || file.filename.includes('\\')) throw invalidParam('Filename contains invalid characters');
    const name = Array.from(file.filename).length > 200 ? truncateName(file.filename) : file.filename;
    const extension = extensionOf(name);
    if (file.data.length > uploadLimitBytes(extension, ctx.options.uploadLimits)) {
      // Dify's message here is an unformatted template; the code is what clients can rely on.
      throw new DifyHttpError(413, 'file_too_large', 'File size exceeded. {message}');
    }
    const id = crypto.randomUUID();
    const now = Date.now();
    const endUserId = ctx.state.endUserId(appRec.id, user);
    ctx.state.uploads.set(id, {
      id,
      appId: appRec.id,
      user,
      endUserId,
      name,
      size: file.data.length,
      extension,
      mimeType: file.contentType,
      createdAt: Math.floor(now / 1000),
      data: Buffer.from(file.data),
    });
    const url = `${ctx.filesBase()}/files/${id}/file-preview?${signedQuery(ctx.secret, 'file-preview', id, now)}`;
    return sendRestx(reply, 201, {
      id,
      name,
      size: file.data.length,
      extension,
      mime_type: file.contentType,
      created_by: endUserId,
      created_at: Math.floor(now / 1000),
      preview_url: null,
      source_url: url,
      original_url: null,
      user_id: endUserId,
      tenant_id: ctx.consoleState.workspace.id,
      conversation_id: null,
      file_key: `upload_files/${ctx.consoleState.workspace.id}/${id}.${extension}`,
    });
  });

  app.post('/v1/audio-to-text', async (req, reply) => {
    const appRec = authenticateApp(req, ctx);
    const form = readForm(req);
    const user = formUser(form);
    ctx.calls.of(req).user = user;
    const file = form.files.find((f) => f.name === 'file');
    if (!file) throw new DifyHttpError(400, 'bad_request_key_error', WERKZEUG_MESSAGES.badRequest);
    const runtime = ctx.runtimeFor(appRec);
    if (!runtime.speechToText) throw invalidParam('Speech to text is not enabled');
    if (!isAllowedAudioMimeType(file.contentType ?? '')) throw new DifyHttpError(415, 'unsupported_audio_type', 'Audio type not allowed.');
    if (file.data.length > AUDIO_TO_TEXT_LIMIT_BYTES) throw new DifyHttpError(413, 'audio_too_large', 'Audio size larger than 30 mb');
    return sendRestx(reply, 200, { text: appRec.transcript });
  });

  app.post('/v1/text-to-audio', async (req, reply) => {
    const appRec = authenticateApp(req, ctx);
    const body = readJsonBody(req);
    ctx.calls.of(req).user = userFromBody(body, false);
    const runtime = ctx.runtimeFor(appRec);
    if (!runtime.textToSpeech.enabled) throw invalidParam('TTS is not enabled');
    const messageId = typeof body.message_id === 'string' ? body.message_id : undefined;
    let text = typeof body.text === 'string' ? body.text : undefined;
    if (messageId) {
      const m = ctx.state.messages.get(messageId);
      // An unknown message id answers a JSON null with 200.
      if (!m || m.appId !== appRec.id) return sendRestx(reply, 200, null);
      text = m.answer;
    }
    if (!text) throw invalidParam('Text is required');
    const frame = Buffer.concat([Buffer.from([0xff, 0xfb, 0x90, 0x64]), Buffer.alloc(413)]);
    const frames = Math.max(1, Math.ceil(Array.from(text).length / 20));
    return reply.code(200).header('Content-Type', 'audio/mpeg').send(Buffer.concat(Array.from({ length: frames }, () => frame)));
  });
}

function truncateName(name: string): string {
  const ext = extensionOf(name);
  const points = Array.from(name);
  const keep = 200 - (ext ? ext.length + 1 : 0);
  return ext ? `${points.slice(0, keep).join('')}.${ext}` : points.slice(0, 200).join('');
}
