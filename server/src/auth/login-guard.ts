// Brute-force protection for the login: a username is locked for a while after repeated wrong
// passwords, and an address that keeps failing (trying many usernames) is slowed down the same
// way. Kept in memory: a restart forgets it, and each replica counts its own attempts.
import { HttpError } from '../errors.ts';

export interface GuardPolicy {
  /** Wrong passwords in a row for one username before it is locked. */
  userFailures: number;
  /** Failed logins from one address, within `windowMs`, before it is locked. */
  addressFailures: number;
  windowMs: number;
  lockMs: number;
}

export const DEFAULT_POLICY: GuardPolicy = {
  userFailures: 5,
  addressFailures: 20,
  windowMs: 10 * 60_000,
  lockMs: 15 * 60_000,
};

interface Record {
  failures: number[];
  lockedUntil: number;
}

export class LoginGuard {
  private readonly records = new Map<string, Record>();

  constructor(private readonly policy: GuardPolicy = DEFAULT_POLICY) {}

  /** Throws 429 (with Retry-After seconds) while the username or the address is locked. */
  check(username: string, address: string, now = Date.now()): void {
    for (const key of [`user:${username.toLowerCase()}`, `addr:${address}`]) {
      const lockedUntil = this.records.get(key)?.lockedUntil ?? 0;
      if (lockedUntil > now) {
        const seconds = Math.ceil((lockedUntil - now) / 1000);
        // The same answer whether or not the username exists.
        throw Object.assign(
          new HttpError(
            429,
            'too_many_attempts',
            `too many failed sign-ins; try again in ${Math.ceil(seconds / 60)} minutes`,
          ),
          { retryAfter: seconds },
        );
      }
    }
  }

  /**
   * Counts an attempt as failed before the password is checked, so guesses sent in parallel are
   * counted (and locked) as they arrive, not after the slow hash of each; succeeded() takes a
   * correct one back.
   */
  attempt(username: string, address: string, now = Date.now()): void {
    this.check(username, address, now);
    this.count(`user:${username.toLowerCase()}`, this.policy.userFailures, now);
    this.count(`addr:${address}`, this.policy.addressFailures, now);
    if (this.records.size > 100_000) this.prune(now);
  }

  /** A correct password clears the username's count and takes this attempt off the address's. */
  succeeded(username: string, address: string): void {
    this.records.delete(`user:${username.toLowerCase()}`);
    const record = this.records.get(`addr:${address}`);
    if (record && record.lockedUntil === 0) record.failures.pop();
  }

  private count(key: string, limit: number, now: number): void {
    const record = this.records.get(key) ?? { failures: [], lockedUntil: 0 };
    record.failures = [...record.failures.filter((t) => now - t < this.policy.windowMs), now];
    if (record.failures.length >= limit) {
      record.lockedUntil = now + this.policy.lockMs;
      record.failures = [];
    }
    this.records.set(key, record);
  }

  private prune(now: number): void {
    for (const [key, r] of this.records)
      if (r.lockedUntil < now && r.failures.every((t) => now - t >= this.policy.windowMs))
        this.records.delete(key);
  }
}
