import type { FastifyRequest } from 'fastify';
import type { SimCall, SimCallFilter } from './types.js';

/** The requests the simulator has seen, so tests can count AI calls and check what was sent. */
export class CallLog {
  private calls: SimCall[] = [];
  private byRequest = new WeakMap<FastifyRequest, SimCall>();

  /** Starts recording a request. */
  start(req: FastifyRequest, api: SimCall['api']): SimCall {
    const call: SimCall = { at: Date.now(), api, method: req.method, path: req.url.split('?')[0] ?? req.url, kind: 'other' };
    this.calls.push(call);
    this.byRequest.set(req, call);
    return call;
  }

  /** The record of a request (a detached one when the request is not recorded, e.g. control calls). */
  of(req: FastifyRequest): SimCall {
    return this.byRequest.get(req) ?? { at: Date.now(), api: 'service', method: req.method, path: req.url, kind: 'other' };
  }

  /** Recorded calls matching `filter`, oldest first. `resolveApp` maps an API key to its app id. */
  list(filter: SimCallFilter = {}, resolveApp: (idOrKey: string) => string | undefined = (x) => x): SimCall[] {
    const app = filter.app === undefined ? undefined : (resolveApp(filter.app) ?? filter.app);
    return this.calls
      .filter((c) => {
        if (filter.api !== undefined && c.api !== filter.api) return false;
        if (filter.method !== undefined && c.method !== filter.method.toUpperCase()) return false;
        if (filter.path !== undefined && !(typeof filter.path === 'string' ? c.path === filter.path : filter.path.test(c.path))) return false;
        if (app !== undefined && c.app !== app) return false;
        if (filter.user !== undefined && c.user !== filter.user) return false;
        if (filter.conversation !== undefined && c.conversation !== filter.conversation) return false;
        if (filter.kind !== undefined && c.kind !== filter.kind) return false;
        if (filter.since !== undefined && c.at < filter.since) return false;
        return true;
      })
      .map((c) => ({ ...c }));
  }

  clear(): void {
    this.calls = [];
  }
}
