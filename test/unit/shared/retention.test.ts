import { addMonths } from '@ocs/shared/initiative';
import { destructionDeadline } from '@ocs/shared/retention';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

describe('addMonths (N months after a date)', () => {
  it.each([
    ['2026-01-31', 1, '2026-02-28'],
    ['2028-01-31', 1, '2028-02-29'],
    ['2026-03-31', 1, '2026-04-30'],
    ['2026-05-31', 21, '2028-02-29'],
    ['2026-08-31', 21, '2028-05-31'],
    ['2026-12-15', 1, '2027-01-15'],
    ['2026-11-30', 3, '2027-02-28'],
    ['2027-02-28', 1, '2027-03-28'],
  ] as const)('%s + %i month(s) = %s', (date, months, expected) => {
    expect(addMonths(date, months)).toBe(expected);
  });

  it('keeps the day number when the target month has it, else takes its last day', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2020-01-01'), max: new Date('2090-12-31'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 36 }),
        (from, months) => {
          const date = from.toISOString().slice(0, 10);
          const result = addMonths(date, months);
          const [y, m, d] = date.split('-').map(Number) as [number, number, number];
          const [ry, rm, rd] = result.split('-').map(Number) as [number, number, number];
          expect((ry - y) * 12 + (rm - m)).toBe(months);
          const lastDay = new Date(Date.UTC(ry, rm, 0)).getUTCDate();
          expect(rd).toBe(Math.min(d, lastDay));
        },
      ),
    );
  });
});

describe('destructionDeadline', () => {
  it('is 21 months after the collection start while nothing else happened', () => {
    expect(destructionDeadline({ collectionStart: '2026-11-01' })).toEqual({
      deadline: '2028-08-01',
      rule: 'collection_start_plus_21_months',
    });
  });

  it('clamps at the month end: a start on 31 May gives 29 February (leap year)', () => {
    expect(destructionDeadline({ collectionStart: '2026-05-31' }).deadline).toBe('2028-02-29');
  });

  it('is one month after the submission when that is earlier', () => {
    expect(destructionDeadline({ collectionStart: '2026-11-01', submittedOn: '2027-12-20' })).toEqual({
      deadline: '2028-01-20',
      rule: 'submission_plus_1_month',
    });
  });

  it('clamps a submission on 31 January to the end of February', () => {
    expect(destructionDeadline({ collectionStart: '2026-05-01', submittedOn: '2027-01-31' })).toEqual({
      deadline: '2027-02-28',
      rule: 'submission_plus_1_month',
    });
  });

  it('keeps the 21-month limit when the submission comes later than 20 months after the start', () => {
    expect(destructionDeadline({ collectionStart: '2026-11-01', submittedOn: '2028-07-15' })).toEqual({
      deadline: '2028-08-01',
      rule: 'collection_start_plus_21_months',
    });
  });

  it('is one month after a withdrawal of the initiative when that is the earliest', () => {
    expect(
      destructionDeadline({
        collectionStart: '2026-11-01',
        submittedOn: '2027-12-20',
        withdrawnOn: '2027-03-31',
      }),
    ).toEqual({ deadline: '2027-04-30', rule: 'withdrawal_plus_1_month' });
  });

  it('names the event on a tie with the 21-month limit', () => {
    expect(destructionDeadline({ collectionStart: '2026-11-01', submittedOn: '2028-07-01' })).toEqual({
      deadline: '2028-08-01',
      rule: 'submission_plus_1_month',
    });
  });

  it('is never later than any of the rules that apply', () => {
    const day = fc
      .date({ min: new Date('2024-01-01'), max: new Date('2030-12-31'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(
        day,
        fc.option(day, { nil: undefined }),
        fc.option(day, { nil: undefined }),
        (start, sub, wd) => {
          const { deadline } = destructionDeadline({
            collectionStart: start,
            submittedOn: sub,
            withdrawnOn: wd,
          });
          expect(deadline <= addMonths(start, 21)).toBe(true);
          if (sub) expect(deadline <= addMonths(sub, 1)).toBe(true);
          if (wd) expect(deadline <= addMonths(wd, 1)).toBe(true);
        },
      ),
    );
  });
});
