import { newAccessToken } from './ids.js';

/** `/cgi-bin/token` tokens and `/cgi-bin/stable_token` tokens never affect each other (reference §5.2). */
export type TokenFamily = 'token' | 'stable';

interface IssuedToken {
  readonly value: string;
  readonly appId: string;
  readonly family: TokenFamily;
  readonly expiresAt: number;
  /** When a newer token of the same family replaced it; it keeps working for the overlap after that. */
  supersededAt?: number;
  /** Invalidated at once (stable force_refresh, server-side rotation). */
  revoked?: boolean;
}

/** The outcome of checking an `access_token` query parameter. */
export type TokenCheck = { ok: true; appId: string; family: TokenFamily } | { ok: false; errcode: 40001 | 40014 | 41001 | 42001 };

export const TOKEN_LIFETIME_MS = 7200_000;
/** Old and new tokens both work for 5 minutes; stable tokens rotate 5 minutes before expiry. */
export const TOKEN_OVERLAP_MS = 300_000;
/** Stable-token force_refresh: at most 20 a day, at least 30 s apart, "否则不会刷新". */
export const FORCE_REFRESH_PER_DAY = 20;
export const FORCE_REFRESH_SPACING_MS = 30_000;

const WELL_FORMED = /^[A-Za-z0-9_-]{16,600}$/;

/** Issues and checks access tokens with WeChat's overlap, stable-token and force-refresh rules. */
export class TokenRegistry {
  private readonly byValue = new Map<string, IssuedToken>();
  private readonly stableCurrent = new Map<string, IssuedToken>();
  private readonly forcedAt = new Map<string, number[]>();

  /** `/cgi-bin/token`: always a new token; the previous ones stay valid for the overlap. */
  issueToken(appId: string, now: number): { accessToken: string; expiresIn: number } {
    for (const t of this.byValue.values()) {
      if (t.appId === appId && t.family === 'token' && t.supersededAt === undefined && !t.revoked && now < t.expiresAt) {
        t.supersededAt = now;
      }
    }
    const token = this.mint(appId, 'token', now);
    this.prune(now);
    return { accessToken: token.value, expiresIn: TOKEN_LIFETIME_MS / 1000 };
  }

  /**
   * `/cgi-bin/stable_token`: the current token with its remaining lifetime, rotated when under 5 minutes remain.
   * `forceRefresh` revokes the current token at once, unless it was forced less than 30 s ago or 20 times today.
   */
  stableToken(appId: string, now: number, forceRefresh: boolean, dayOf: (ms: number) => number): { accessToken: string; expiresIn: number } {
    let current = this.stableCurrent.get(appId);
    if (forceRefresh && this.mayForce(appId, now, dayOf)) {
      if (current) current.revoked = true;
      this.forcedAt.set(appId, [...(this.forcedAt.get(appId) ?? []), now]);
      current = undefined;
    }
    if (!current || current.revoked || current.expiresAt - now < TOKEN_OVERLAP_MS) {
      current = this.mint(appId, 'stable', now);
      this.stableCurrent.set(appId, current);
    }
    return { accessToken: current.value, expiresIn: Math.floor((current.expiresAt - now) / 1000) };
  }

  /** Checks a business API's `access_token` (41001 missing, 40014 malformed, 40001 superseded/unknown, 42001 expired). */
  check(value: string | undefined, now: number): TokenCheck {
    if (value === undefined || value === '') return { ok: false, errcode: 41001 };
    if (!WELL_FORMED.test(value)) return { ok: false, errcode: 40014 };
    const t = this.byValue.get(value);
    if (!t || t.revoked) return { ok: false, errcode: 40001 };
    if (t.supersededAt !== undefined) {
      const overlapEnd = t.supersededAt + TOKEN_OVERLAP_MS;
      if (now >= overlapEnd && overlapEnd < t.expiresAt) return { ok: false, errcode: 40001 };
    }
    if (now >= t.expiresAt) return { ok: false, errcode: 42001 };
    return { ok: true, appId: t.appId, family: t.family };
  }

  /** Which account a token belongs to, valid or not (to attribute a recorded call). */
  ownerOf(value: string | undefined): string | undefined {
    return value === undefined ? undefined : this.byValue.get(value)?.appId;
  }

  /** Server-side rotation: every token of the account stops working now (both families). */
  revokeAll(appId: string): void {
    for (const t of this.byValue.values()) if (t.appId === appId) t.revoked = true;
    this.stableCurrent.delete(appId);
  }

  clear(): void {
    this.byValue.clear();
    this.stableCurrent.clear();
    this.forcedAt.clear();
  }

  private mayForce(appId: string, now: number, dayOf: (ms: number) => number): boolean {
    const times = this.forcedAt.get(appId) ?? [];
    const last = times[times.length - 1];
    if (last !== undefined && now - last < FORCE_REFRESH_SPACING_MS) return false;
    return times.filter((t) => dayOf(t) === dayOf(now)).length < FORCE_REFRESH_PER_DAY;
  }

  private mint(appId: string, family: TokenFamily, now: number): IssuedToken {
    const token: IssuedToken = { value: newAccessToken(), appId, family, expiresAt: now + TOKEN_LIFETIME_MS };
    this.byValue.set(token.value, token);
    return token;
  }

  /** Forgets tokens expired for over a day, so a long-running simulator does not grow without bound. */
  private prune(now: number): void {
    for (const [value, t] of this.byValue) if (now - t.expiresAt > 86_400_000) this.byValue.delete(value);
  }
}
