/**
 * Remembers which draft a list of Markdown files became, per AppID, so that publishing the same files again
 * updates that draft instead of piling up copies in the draft box.
 */
import type { Store } from '../../store/store.js';
import { draftIdKey, draftKey } from './store-keys.js';

/** A draft made earlier from the same files. */
export interface RememberedDraft {
  mediaId: string;
  files: string[];
  /** Epoch ms of the last create/update. */
  updatedAt: number;
}

export class DraftMemory {
  private readonly store: Store;
  private readonly appId: string;

  constructor(store: Store, appId: string) {
    this.store = store;
    this.appId = appId;
  }

  /** The draft made from exactly these files (absolute paths, in order), if any. */
  async recall(files: readonly string[]): Promise<RememberedDraft | undefined> {
    const raw = await this.store.get(draftKey(this.appId, files));
    if (raw === undefined) return undefined;
    try {
      const parsed = JSON.parse(raw) as Partial<RememberedDraft>;
      if (typeof parsed.mediaId !== 'string') return undefined;
      return { mediaId: parsed.mediaId, files: Array.isArray(parsed.files) ? parsed.files : [...files], updatedAt: Number(parsed.updatedAt ?? 0) };
    } catch {
      return undefined;
    }
  }

  /** Records that these files are now the draft `mediaId`. */
  async remember(files: readonly string[], mediaId: string, now = Date.now()): Promise<void> {
    const key = draftKey(this.appId, files);
    const record: RememberedDraft = { mediaId, files: [...files], updatedAt: now };
    await this.store.set(key, JSON.stringify(record));
    await this.store.set(draftIdKey(this.appId, mediaId), key);
  }

  /** Forgets the files' draft (the draft is gone); true when something was remembered. */
  async forget(files: readonly string[]): Promise<boolean> {
    const key = draftKey(this.appId, files);
    const remembered = await this.recall(files);
    if (remembered) await this.store.delete(draftIdKey(this.appId, remembered.mediaId));
    return this.store.delete(key);
  }

  /** Forgets whichever files became draft `mediaId` (after `draft delete`); true when something was remembered. */
  async forgetDraft(mediaId: string): Promise<boolean> {
    const reverse = draftIdKey(this.appId, mediaId);
    const key = await this.store.get(reverse);
    await this.store.delete(reverse);
    if (key === undefined) return false;
    const raw = await this.store.get(key);
    if (raw === undefined || !raw.includes(JSON.stringify(mediaId))) return false;
    return this.store.delete(key);
  }
}
