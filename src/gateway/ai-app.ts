import type { DifyFileInput } from '../dify/service/chat-messages.js';
import type { Owner } from '../store/store.js';
import type { AppFeatures } from './app-features.js';
import type { MediaFile } from './file-download.js';

/** A file handed to the AI with a message (Dify's `files` item). */
export type AiFile = DifyFileInput;

/**
 * What the gateway uses of an AI app beyond asking it: its declared features, file uploads, speech in both
 * directions, and the files it answers with. Dify's answerer provides it; a replacement answerer (tests, custom
 * providers) may not, and the gateway then falls back to text (images described, voice unrecognised).
 */
export interface AiApp {
  /** The app's features (inputs, images, speech), cached; undefined when they cannot be read. */
  features(): Promise<AppFeatures | undefined>;
  /** Uploads a file for the follower's next message; returns its id for `{transfer_method: 'local_file'}`. */
  upload(owner: Owner, file: MediaFile & { filename: string }): Promise<string>;
  /** Speech to text. */
  transcribe(owner: Owner, audio: MediaFile & { filename: string }): Promise<string>;
  /** Text to speech; undefined when the app returned nothing. */
  speak(owner: Owner, text: string): Promise<MediaFile | undefined>;
  /** The absolute URL of a file link in an answer (relative `/files/…` resolved against the app's origin). */
  resolveFileUrl(url: string): string | undefined;
  /** Whether an absolute URL points at the app's own files. */
  isAppFile(url: string): boolean;
}
