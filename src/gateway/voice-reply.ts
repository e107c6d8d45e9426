import type { Logger } from 'pino';
import type { Owner } from '../store/store.js';
import type { WeChatClient } from '../wechat-api/client.js';
import { detectFormat, EXTENSIONS, MIME_TYPES, SNIFF_BYTES } from '../wechat/media-format.js';
import type { AiApp } from './ai-app.js';
import type { OutMessage } from './out-message.js';

/**
 * Answers longer than this are not spoken: a WeChat voice message lasts at most 60 s (45007 beyond), about 250
 * Chinese characters read aloud.
 */
export const VOICE_REPLY_MAX_CHARS = 240;

/**
 * The answer as a voice message (`media.voiceReplies`): Dify's text to speech, uploaded as temporary voice media.
 * Undefined, never an error, when it cannot be made: text too long, text to speech off in the app, audio WeChat
 * does not take (MP3 and AMR only, at most 2 MB), or a failed call.
 */
export async function voiceReply(owner: Owner, text: string, app: AiApp, wechat: WeChatClient, logger?: Logger): Promise<OutMessage | undefined> {
  if (!text.trim() || Array.from(text).length > VOICE_REPLY_MAX_CHARS) return undefined;
  try {
    if (!(await app.features())?.textToSpeech) return undefined;
    const audio = await app.speak(owner, text);
    if (!audio) return undefined;
    const format = detectFormat(audio.data.subarray(0, SNIFF_BYTES));
    if (format !== 'mp3' && format !== 'amr') {
      logger?.info({ account: owner.account, format: format ?? 'unknown' }, 'speech in a format WeChat voice does not take; not sent');
      return undefined;
    }
    const uploaded = await wechat.media.upload('voice', { data: audio.data, filename: `answer.${EXTENSIONS[format][0]}`, contentType: MIME_TYPES[format] });
    return { type: 'voice', mediaId: uploaded.media_id };
  } catch (err) {
    logger?.warn({ err, account: owner.account }, 'voice reply failed; the text answer goes alone');
    return undefined;
  }
}
