/** Daily per-API call quotas of a new account (reference §5–9); 45009 once exceeded. */
export const DEFAULT_DAILY_QUOTAS: Readonly<Record<string, number>> = {
  '/cgi-bin/token': 2000,
  '/cgi-bin/stable_token': 500_000,
  '/cgi-bin/message/custom/send': 500_000,
  '/cgi-bin/media/upload': 100_000,
  '/cgi-bin/media/get': 200_000,
  '/cgi-bin/menu/create': 1000,
  '/cgi-bin/menu/get': 10_000,
  '/cgi-bin/menu/delete': 1000,
  '/cgi-bin/user/info': 5_000_000,
  '/cgi-bin/user/get': 500,
  '/cgi-bin/draft/add': 1000,
  '/cgi-bin/draft/get': 500,
  '/cgi-bin/draft/delete': 1000,
  '/cgi-bin/draft/update': 1000,
  '/cgi-bin/draft/count': 1000,
  '/cgi-bin/draft/batchget': 1000,
  '/cgi-bin/freepublish/submit': 100,
  '/cgi-bin/freepublish/get': 100,
  '/cgi-bin/freepublish/delete': 10,
  '/cgi-bin/freepublish/getarticle': 100,
  '/cgi-bin/freepublish/batchget': 100,
};

/** Quotas reset at midnight Beijing time (UTC+8): the day number of a timestamp. */
export function beijingDay(ms: number): number {
  return Math.floor((ms + 8 * 3600_000) / 86_400_000);
}

/** Counts calls per account, API and Beijing day. */
export class DailyQuota {
  private readonly limits: Record<string, number>;
  private readonly used = new Map<string, number>();

  constructor(overrides: Record<string, number> = {}) {
    this.limits = { ...DEFAULT_DAILY_QUOTAS, ...overrides };
  }

  /** Counts one call; false when the day's quota was already used up. */
  take(appId: string, path: string, now: number): boolean {
    const limit = this.limits[path];
    if (limit === undefined) return true;
    const key = `${appId} ${path} ${beijingDay(now)}`;
    const n = this.used.get(key) ?? 0;
    if (n >= limit) return false;
    this.used.set(key, n + 1);
    return true;
  }

  /** `clear_quota`: forget the account's counts. */
  clearAccount(appId: string): void {
    for (const key of this.used.keys()) if (key.startsWith(`${appId} `)) this.used.delete(key);
  }

  clear(): void {
    this.used.clear();
  }
}
