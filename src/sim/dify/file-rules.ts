/** Dify's file categories, size limits and audio allow-list (reference §7). */

/** Extensions per file category (lower case, no dot), as Dify's constants. */
export const EXTENSIONS = {
  image: ['jpg', 'jpeg', 'png', 'webp', 'gif', 'svg'],
  video: ['mp4', 'mov', 'mpeg', 'webm'],
  audio: ['mp3', 'm4a', 'wav', 'amr', 'mpga'],
  document: ['txt', 'markdown', 'md', 'mdx', 'pdf', 'html', 'htm', 'xlsx', 'xls', 'vtt', 'properties', 'doc', 'docx', 'csv', 'eml', 'msg', 'pptx', 'xml', 'epub', 'ppt'],
} as const;

/** Upload size limits in MB (self-hosted defaults). */
export interface UploadLimitsMb {
  file: number;
  image: number;
  audio: number;
  video: number;
}

/** The defaults of `UPLOAD_*_FILE_SIZE_LIMIT`. */
export const DEFAULT_UPLOAD_LIMITS_MB: UploadLimitsMb = { file: 15, image: 10, audio: 50, video: 100 };

/** `/parameters.system_parameters.workflow_file_upload_limit` default. */
export const WORKFLOW_FILE_UPLOAD_LIMIT = 10;

/** The extension of a filename, lower case without the dot ('' when none). */
export function extensionOf(filename: string): string {
  const dot = filename.lastIndexOf('.');
  return dot < 0 ? '' : filename.slice(dot + 1).toLowerCase();
}

/** The file category of an extension: image, video, audio, document or custom. */
export function fileTypeOfExtension(ext: string): 'image' | 'video' | 'audio' | 'document' | 'custom' {
  const e = ext.toLowerCase();
  for (const kind of ['image', 'video', 'audio', 'document'] as const) {
    if ((EXTENSIONS[kind] as readonly string[]).includes(e)) return kind;
  }
  return 'custom';
}

/** The size limit (bytes) that applies to an uploaded file with this extension. */
export function uploadLimitBytes(ext: string, limits: UploadLimitsMb): number {
  const kind = fileTypeOfExtension(ext);
  const mb = kind === 'image' ? limits.image : kind === 'video' ? limits.video : kind === 'audio' ? limits.audio : limits.file;
  return mb * 1024 * 1024;
}

/** audio-to-text accepts these part Content-Types only (`audio/mpeg`, `audio/x-wav`, `audio/webm` are refused). */
export function isAllowedAudioMimeType(mimeType: string): boolean {
  const allowed = EXTENSIONS.audio.flatMap((e) => [`audio/${e}`, `audio/${e.toUpperCase()}`]);
  return allowed.includes(mimeType);
}

/** audio-to-text size limit: 30 MB. */
export const AUDIO_TO_TEXT_LIMIT_BYTES = 30 * 1024 * 1024;

const MIME_BY_EXTENSION: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  svg: 'image/svg+xml',
  pdf: 'application/pdf',
  txt: 'text/plain',
  md: 'text/markdown',
  mp3: 'audio/mpeg',
  wav: 'audio/wav',
  amr: 'audio/amr',
  mp4: 'video/mp4',
};

/** A plausible MIME type for an extension (application/octet-stream when unknown). */
export function mimeTypeOfExtension(ext: string): string {
  return MIME_BY_EXTENSION[ext.toLowerCase()] ?? 'application/octet-stream';
}
