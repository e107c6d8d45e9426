import type { WechatSimFault } from './types.js';

interface ArmedFault {
  readonly path?: string;
  readonly appId?: string;
  readonly errcode: number;
  readonly errmsg?: string;
  remaining: number;
}

/** Faults armed by tests or the inspection API; each matching call consumes one. */
export class FaultInjector {
  private faults: ArmedFault[] = [];

  add(fault: WechatSimFault): void {
    const times = fault.times ?? 1;
    if (!Number.isInteger(fault.errcode)) throw new TypeError('injectFault: errcode must be an integer');
    if (!Number.isInteger(times) || times < 1) throw new TypeError('injectFault: times must be a positive integer');
    const armed: ArmedFault = { errcode: fault.errcode, remaining: times };
    this.faults.push({
      ...armed,
      ...(fault.path !== undefined ? { path: fault.path } : {}),
      ...(fault.appId !== undefined ? { appId: fault.appId } : {}),
      ...(fault.errmsg !== undefined ? { errmsg: fault.errmsg } : {}),
    });
  }

  /** The first armed fault matching this call, consumed; undefined when none. */
  take(path: string, appId: string | undefined): { errcode: number; errmsg?: string } | undefined {
    const f = this.faults.find((x) => (x.path === undefined || x.path === path) && (x.appId === undefined || x.appId === appId));
    if (!f) return undefined;
    f.remaining--;
    if (f.remaining <= 0) this.faults = this.faults.filter((x) => x !== f);
    return f.errmsg === undefined ? { errcode: f.errcode } : { errcode: f.errcode, errmsg: f.errmsg };
  }

  /** What is still armed (for the inspection API). */
  list(): WechatSimFault[] {
    return this.faults.map(({ remaining, ...f }) => ({ ...f, times: remaining }));
  }

  clear(): void {
    this.faults = [];
  }
}
