/** A clock that only moves when told to: pass `clock.now` as a store's `now` option to test TTLs and leases without sleeping. */
export class ManualClock {
  private current: number;
  constructor(start: number = Date.now()) {
    this.current = start;
  }
  /** The current time in epoch ms (bound, so it can be passed around as a function). */
  readonly now = (): number => this.current;
  /** Move time forward by `ms`. */
  advance(ms: number): void {
    this.current += ms;
  }
}
