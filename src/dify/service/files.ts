import type { DifyCallOptions, DifyServiceClient } from '../service-client.js';

/** A file to send as a multipart part. `contentType` matters: Dify answers 415 for a part without one. */
export interface DifyUploadInput {
  data: Blob | Uint8Array | ArrayBuffer;
  /** No `/` or `\`; names over 200 characters are truncated by Dify. */
  filename: string;
  /** e.g. `image/jpeg`; `audio/amr` for WeChat voice. */
  contentType: string;
  /** The owner; only the same user can reference the file later. Defaults to Dify's `DEFAULT-USER`. */
  user?: string;
}

/** `POST /files/upload` answer (201). */
export interface DifyUploadedFile {
  id: string;
  name: string;
  size: number;
  extension: string;
  mime_type: string;
  created_by: string;
  created_at: number;
  preview_url?: string | null;
  source_url?: string | null;
  [key: string]: unknown;
}

/** Builds the multipart body Dify expects: one part named `file`, plus an optional `user` field. */
export function uploadForm(input: DifyUploadInput): FormData {
  const form = new FormData();
  const part = input.data instanceof Blob || input.data instanceof ArrayBuffer ? input.data : new Uint8Array(input.data);
  const blob = part instanceof Blob ? part : new Blob([part], { type: input.contentType });
  const typed = blob.type === input.contentType ? blob : new Blob([blob], { type: input.contentType });
  form.append('file', typed, input.filename);
  if (input.user !== undefined) form.append('user', input.user);
  return form;
}

/** File uploads, referenced later in `files: [{transfer_method: "local_file", upload_file_id}]`. */
export class Files {
  readonly #client: DifyServiceClient;
  constructor(client: DifyServiceClient) {
    this.#client = client;
  }

  /**
   * Uploads one file (201). Size limits by extension: images 10 MB, video 100 MB, audio 50 MB, others 15 MB
   * (413 `file_too_large`). Retried on network errors and 5xx: a duplicate upload only leaves an unused file.
   */
  upload(input: DifyUploadInput, options?: DifyCallOptions): Promise<DifyUploadedFile> {
    return this.#client.json<DifyUploadedFile>(
      { method: 'POST', path: '/files/upload', form: uploadForm(input), idempotent: true },
      options,
      [200, 201],
    );
  }
}
