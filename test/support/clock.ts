import type { Clock } from '@ocs/shared/ports';

/** A clock the test or benchmark moves by hand (the KMS benchmark runs hours in seconds). */
export class ManualClock implements Clock {
  private ms: number;

  constructor(start: Date | number = Date.parse('2026-11-28T10:00:00Z')) {
    this.ms = typeof start === 'number' ? start : start.getTime();
  }

  now(): Date {
    return new Date(this.ms);
  }

  advance(ms: number): void {
    this.ms += ms;
  }

  set(at: Date | number): void {
    this.ms = typeof at === 'number' ? at : at.getTime();
  }
}
