import type { DifyCallOptions, DifyServiceClient } from '../service-client.js';
import { uploadForm, type DifyUploadInput } from './files.js';

/** Body of `POST /text-to-audio`; `message_id` wins when both are given. */
export interface TextToAudioParams {
  message_id?: string;
  text?: string;
  voice?: string;
  user?: string;
}

/** Synthesised audio. */
export interface DifyAudio {
  data: Uint8Array;
  /** e.g. `audio/mpeg`. */
  contentType: string;
}

/** Speech to text and text to speech (each needs the feature enabled in the app). */
export class Audio {
  readonly #client: DifyServiceClient;
  constructor(client: DifyServiceClient) {
    this.#client = client;
  }

  /**
   * Transcribes audio. The part Content-Type must be one of `audio/mp3`, `audio/m4a`, `audio/wav`,
   * `audio/amr`, `audio/mpga` (`audio/mpeg` → 415 `unsupported_audio_type`); at most 30 MB.
   */
  toText(input: DifyUploadInput, options?: DifyCallOptions): Promise<{ text: string }> {
    return this.#client.json<{ text: string }>({ method: 'POST', path: '/audio-to-text', form: uploadForm(input) }, options);
  }

  /** Synthesises speech; resolves null when Dify answers a JSON `null` (unknown `message_id`). */
  async fromText(params: TextToAudioParams, options?: DifyCallOptions): Promise<DifyAudio | null> {
    const response = await this.#client.send({ method: 'POST', path: '/text-to-audio', json: params }, options);
    const contentType = response.headers.get('content-type') ?? '';
    if (response.status !== 200 || contentType.includes('application/json')) {
      // 200 + JSON is Dify's `null` for an unknown message; anything else is an error envelope.
      if (response.status === 200 && response.text().trim() === 'null') return null;
      throw this.#client.apiError(response, { method: 'POST', path: '/text-to-audio' });
    }
    return { data: response.body, contentType };
  }
}
