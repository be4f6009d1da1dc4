import { signingDay } from '@ocs/shared';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

describe('signingDay', () => {
  it('is the date at UTC+14', () => {
    expect(signingDay(new Date('2026-11-28T09:59:59Z'))).toBe('2026-11-28');
    expect(signingDay(new Date('2026-11-28T10:00:00Z'))).toBe('2026-11-29');
    expect(signingDay(new Date('2024-02-28T10:00:00Z'))).toBe('2024-02-29');
    expect(signingDay(new Date('2026-12-31T10:00:00Z'))).toBe('2027-01-01');
  });

  it('is never earlier than the date anywhere on Earth (UTC-12 … UTC+14)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
        fc.integer({ min: -12 * 60, max: 14 * 60 }),
        (now, offsetMinutes) => {
          const local = new Date(now.getTime() + offsetMinutes * 60_000).toISOString().slice(0, 10);
          expect(signingDay(now) >= local).toBe(true);
        },
      ),
    );
  });

  it('throws for an invalid date', () => {
    expect(() => signingDay(new Date('nope'))).toThrow(RangeError);
  });
});
