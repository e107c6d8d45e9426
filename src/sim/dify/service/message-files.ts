import type { FileUploadSettings } from '../app-config.js';
import type { SimContext } from '../context.js';
import { extensionOf, fileTypeOfExtension, mimeTypeOfExtension } from '../file-rules.js';
import { invalidParam } from '../http-errors.js';
import { signedQuery } from '../signed-url.js';
import type { MessageFileRecord, SimAppRecord } from '../state.js';
import type { ScriptFile } from '../types.js';
import { canonicalUuid, isUuid } from './request-parsing.js';

/** The `files` of a chat request (reference §2.1) and the files of scripted answers. */

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `_is_file_valid_with_config`: declared type, custom extensions and transfer method against the app's settings. */
function validWithConfig(type: string, ext: string, method: string, s: FileUploadSettings): boolean {
  if (s.allowedFileTypes.length > 0 && !s.allowedFileTypes.includes(type) && type !== 'custom') return false;
  if (type === 'custom' && !s.allowedFileExtensions.includes(`.${ext}`)) return false;
  if (type === 'image') {
    if (s.imageTransferMethods.length > 0 && !s.imageTransferMethods.includes(method)) return false;
  } else if (s.allowedUploadMethods.length > 0 && !s.allowedUploadMethods.includes(method)) {
    return false;
  }
  return true;
}

/**
 * Resolves `files[]` for a message: silently empty when the feature is off; malformed items dropped; the count
 * limit, upload ownership and type rules enforced with Dify's 400 messages.
 */
export function resolveRequestFiles(raw: unknown, settings: FileUploadSettings, ctx: SimContext, app: SimAppRecord, user: string): MessageFileRecord[] {
  if (!Array.isArray(raw) || !settings.enabled) return [];
  const items = raw.filter(
    (f): f is Record<string, unknown> =>
      isObject(f) && typeof f.transfer_method === 'string' && (f.transfer_method !== 'remote_url' || (typeof f.url === 'string' && f.url !== '')),
  );
  if (items.length > settings.numberLimits) throw invalidParam(`Number of files exceeds the maximum limit ${settings.numberLimits}`);
  return items.map((f) => {
    const method = String(f.transfer_method);
    const type = typeof f.type === 'string' ? f.type : 'custom';
    if (method === 'local_file') {
      const id = typeof f.upload_file_id === 'string' ? f.upload_file_id : '';
      if (!isUuid(id)) throw invalidParam('Invalid upload file id format');
      const upload = ctx.state.uploads.get(canonicalUuid(id));
      if (!upload || upload.endUserId !== ctx.state.endUserId(app.id, user)) throw invalidParam('Invalid upload file');
      if (!validWithConfig(type, upload.extension, method, settings)) throw invalidParam(`File validation failed for file: ${upload.name}`);
      return {
        id: crypto.randomUUID(),
        type,
        url: `${ctx.filesBase()}/files/${upload.id}/file-preview?${signedQuery(ctx.secret, 'file-preview', upload.id, Date.now())}`,
        belongsTo: 'user' as const,
        transferMethod: method,
        filename: upload.name,
        mimeType: upload.mimeType,
        size: upload.size,
        extension: upload.extension,
      };
    }
    const url = String(f.url ?? '');
    let filename = 'file';
    try {
      filename = decodeURIComponent(new URL(url).pathname.split('/').pop() || 'file');
    } catch {
      filename = url.split('/').pop() || 'file';
    }
    const ext = extensionOf(filename);
    if (!validWithConfig(type, ext, method, settings)) throw invalidParam(`File validation failed for file: ${filename}`);
    return {
      id: crypto.randomUUID(),
      type,
      url,
      belongsTo: 'user' as const,
      transferMethod: method,
      filename,
      mimeType: mimeTypeOfExtension(ext),
      size: -1,
      extension: ext,
    };
  });
}

/** A 1×1 transparent PNG: the default bytes of a scripted image. */
const DEFAULT_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

/** Stores the files of a scripted answer as tool files and returns them with their signed URLs. */
export function storeAnswerFiles(files: readonly ScriptFile[], ctx: SimContext): MessageFileRecord[] {
  return files.map((f) => {
    const filename = f.filename ?? 'image.png';
    const extension = extensionOf(filename) || 'png';
    const data = f.data === undefined ? DEFAULT_PNG : Buffer.isBuffer(f.data) ? f.data : Buffer.from(f.data);
    const id = crypto.randomUUID();
    const mimeType = f.mimeType ?? mimeTypeOfExtension(extension);
    ctx.state.toolFiles.set(id, { id, extension, mimeType, filename, data });
    const kind = f.type ?? (fileTypeOfExtension(extension) === 'custom' ? 'document' : fileTypeOfExtension(extension));
    return {
      id,
      type: kind,
      url: `${ctx.filesBase()}/files/tools/${id}.${extension}?${signedQuery(ctx.secret, 'file-preview', id, Date.now())}`,
      belongsTo: 'assistant' as const,
      transferMethod: 'tool_file',
      filename,
      mimeType,
      size: data.length,
      extension,
    };
  });
}
