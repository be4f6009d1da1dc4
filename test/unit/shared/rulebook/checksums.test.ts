import {
  DOCUMENT_NUMBER_VALIDATORS,
  type DocumentNumberValidator,
  type DocumentNumberValidatorId,
  RO_CNP_COUNTIES,
  validateBeNationalRegisterNumber,
  validateBgEgn,
  validateEeIsikukood,
  validateEsDni,
  validateHrOib,
  validateLtAsmensKodas,
  validateLvPersonasKods,
  validatePlPesel,
  validatePtCitizenCard,
  validateRoCnp,
  validateSePersonnummer,
  validateSiEmso,
} from '@ocs/shared';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  balticCheck,
  beNumber,
  bgEgn,
  plPesel,
  roCnp,
  sePersonnummer12,
  validNumbers,
} from '../../../fixtures/rulebook/generators';

const TODAY = '2026-11-28';

describe('check-digit validators: published example numbers', () => {
  // Example numbers published in the documentation of python-stdnum and on Wikipedia.
  it.each([
    ['BE', validateBeNationalRegisterNumber, '85.07.30-033.28', '1985-07-30'],
    ['BE (born 2017, "2" prefix)', validateBeNationalRegisterNumber, '17 07 30 033 84', '2017-07-30'],
    ['BG', validateBgEgn, '7523169263', '1875-03-16'],
    ['BG', validateBgEgn, '8032056031', '1880-12-05'],
    ['EE', validateEeIsikukood, '36805280109', '1968-05-28'],
    ['LT', validateLtAsmensKodas, '33309240064', '1933-09-24'],
    ['PL', validatePlPesel, '44051401359', '1944-05-14'],
    ['RO', validateRoCnp, '1630615123457', '1963-06-15'],
    ['SI', validateSiEmso, '0101006500006', '2006-01-01'],
    ['SE', validateSePersonnummer, '880320-0016', '1988-03-20'],
    ['SE', validateSePersonnummer, '811228-9841', '1981-12-28'],
    ['LV', validateLvPersonasKods, '161175-19997', '1975-11-16'],
  ])('%s %s is valid and encodes %s', (_country, validate, number, birthDate) => {
    expect(validate(number, TODAY)).toMatchObject({ ok: true, birthDate });
  });

  it.each<[string, DocumentNumberValidator, string]>([
    ['ES DNI', validateEsDni, '54362315K'],
    ['HR OIB', validateHrOib, '33392005961'],
    ['PT citizen card', validatePtCitizenCard, '00000000 0 ZZ4'],
  ])('%s %s is valid and carries no birth date', (_name, validate, number) => {
    expect(validate(number, TODAY)).toEqual({ ok: true });
  });

  it.each([
    ['BE', validateBeNationalRegisterNumber, '85073003329'],
    ['BG', validateBgEgn, '7523169264'],
    ['EE', validateEeIsikukood, '36805280108'],
    ['LT', validateLtAsmensKodas, '33309240164'],
    ['PL', validatePlPesel, '44051401358'],
    ['RO', validateRoCnp, '1630615123458'],
    ['SI', validateSiEmso, '0101006500007'],
    ['SE', validateSePersonnummer, '880320-0018'],
    ['ES', validateEsDni, '54362315T'],
    ['HR', validateHrOib, '33392005962'],
    ['PT', validatePtCitizenCard, '000000000ZZ3'],
  ])('%s %s fails its check digit', (_country, validate, number) => {
    expect(validate(number, TODAY)).toEqual({ ok: false, code: 'invalid_checksum' });
  });
});

describe('check-digit validators: formats and special cases', () => {
  it.each([
    ['BE', validateBeNationalRegisterNumber, '8507300332'],
    ['BE letters', validateBeNationalRegisterNumber, '8507300332A'],
    ['BG', validateBgEgn, '752316926'],
    ['EE first digit 0', validateEeIsikukood, '06805280109'],
    ['EE first digit 9', validateEeIsikukood, '96805280109'],
    ['LT first digit 0', validateLtAsmensKodas, '03309240064'],
    ['ES NIE X', validateEsDni, 'X1234567L'],
    ['ES NIE Y', validateEsDni, 'Y1234567X'],
    ['ES 9 digits', validateEsDni, '123456789L'],
    ['HR', validateHrOib, '3339200596'],
    ['PL', validatePlPesel, '440514013591'],
    ['PT', validatePtCitizenCard, '0000000000Z4'],
    ['RO first digit 0', validateRoCnp, '0630615123457'],
    ['RO county 53', validateRoCnp, '1630615533457'],
    ['RO county 49', validateRoCnp, roCnp({ year: 1963, month: 6, day: 15 }, false, 49, 345)],
    ['RO county 50', validateRoCnp, roCnp({ year: 1963, month: 6, day: 15 }, false, 50, 345)],
    ['RO county 84', validateRoCnp, roCnp({ year: 1963, month: 6, day: 15 }, false, 84, 345)],
    ['RO county 00', validateRoCnp, '1630615003457'],
    ['SE 11 digits', validateSePersonnummer, '88032000160'],
    ['SE plus in the 12-digit form', validateSePersonnummer, '19880320+0016'],
    ['SI', validateSiEmso, '010100650000'],
    ['LV', validateLvPersonasKods, '1611751999'],
    ['LV century digit 3', validateLvPersonasKods, '16117539997'],
  ])('%s: %s is invalid_format', (_name, validate, number) => {
    expect(validate(number, TODAY)).toEqual({ ok: false, code: 'invalid_format' });
  });

  it('BE: BIS numbers (month + 20 or + 40) are accepted with the real birth date', () => {
    const d = { year: 1985, month: 7, day: 30 };
    expect(validateBeNationalRegisterNumber(beNumber(d, 33, 20))).toEqual({
      ok: true,
      birthDate: '1985-07-30',
    });
    expect(validateBeNationalRegisterNumber(beNumber(d, 33, 40))).toEqual({
      ok: true,
      birthDate: '1985-07-30',
    });
  });

  it('BE: month or day 00 (unknown birth date) is accepted without a birth date', () => {
    expect(validateBeNationalRegisterNumber(beNumber({ year: 1950, month: 0, day: 0 }, 12))).toEqual({
      ok: true,
    });
    expect(validateBeNationalRegisterNumber(beNumber({ year: 1950, month: 3, day: 0 }, 12))).toEqual({
      ok: true,
    });
  });

  it('BE: 31 February and month 13 are invalid_date', () => {
    expect(validateBeNationalRegisterNumber(beNumber({ year: 1950, month: 2, day: 31 }, 12))).toEqual({
      ok: false,
      code: 'invalid_date',
    });
    expect(validateBeNationalRegisterNumber(beNumber({ year: 1950, month: 13, day: 1 }, 12))).toEqual({
      ok: false,
      code: 'invalid_date',
    });
  });

  it('BG: the month offset carries the century', () => {
    expect(validateBgEgn(bgEgn({ year: 2005, month: 4, day: 9 }, 1))).toEqual({
      ok: true,
      birthDate: '2005-04-09',
    });
    expect(validateBgEgn(bgEgn({ year: 1899, month: 12, day: 31 }, 1))).toEqual({
      ok: true,
      birthDate: '1899-12-31',
    });
    expect(validateBgEgn(bgEgn({ year: 1999, month: 2, day: 29 }, 1))).toEqual({
      ok: false,
      code: 'invalid_date',
    });
  });

  it('EE/LT: 30 February is invalid_date', () => {
    const ten = '3900230123';
    expect(validateEeIsikukood(`${ten}${balticCheck(ten)}`)).toEqual({ ok: false, code: 'invalid_date' });
  });

  it('LT: codes starting with 9 carry no birth date but must pass the check digit', () => {
    const ten = '9000000123';
    expect(validateLtAsmensKodas(`${ten}${balticCheck(ten)}`)).toEqual({ ok: true });
    expect(validateLtAsmensKodas(`${ten}${(balticCheck(ten) + 1) % 10}`)).toEqual({
      ok: false,
      code: 'invalid_checksum',
    });
  });

  it('PL: every century offset decodes, and month 13 is invalid_date', () => {
    for (const year of [1850, 1950, 2050, 2150, 2250]) {
      expect(validatePlPesel(plPesel({ year, month: 6, day: 15 }, 1234))).toEqual({
        ok: true,
        birthDate: `${year}-06-15`,
      });
    }
    expect(validatePlPesel(plPesel({ year: 1950, month: 13, day: 1 }, 1))).toEqual({
      ok: false,
      code: 'invalid_date',
    });
  });

  it('RO: foreign residents (7/8/9) validate structure only, without a birth date', () => {
    const twelve = '700022912345';
    const weights = [2, 7, 9, 1, 4, 6, 3, 5, 8, 2, 7, 9];
    const r = [...twelve].reduce((acc, d, i) => acc + Number(d) * (weights[i] ?? 0), 0) % 11;
    const number = `${twelve}${r === 10 ? 1 : r}`;
    // 29 February 00: a real date in 2000, not in 1900: accepted because the century is unknown.
    expect(validateRoCnp(number)).toEqual({ ok: true });
    expect(validateRoCnp(roCnp({ year: 1963, month: 2, day: 28 }, false, 70, 1))).toEqual({
      ok: true,
      birthDate: '1963-02-28',
    });
  });

  it('RO: counties 01-48, 51, 52, 70 and 80-83 are accepted (as python-stdnum lists them)', () => {
    for (const county of [1, 40, 46, 47, 48, 51, 52, 70, 80, 81, 82, 83]) {
      expect(validateRoCnp(roCnp({ year: 1980, month: 1, day: 1 }, true, county, 5)).ok, String(county)).toBe(
        true,
      );
    }
    for (const county of [0, 49, 50, 53, 69, 71, 79, 84, 99]) {
      expect(validateRoCnp(roCnp({ year: 1980, month: 1, day: 1 }, true, county, 5)), String(county)).toEqual(
        {
          ok: false,
          code: 'invalid_format',
        },
      );
    }
    expect(RO_CNP_COUNTIES.codes).toHaveLength(55);
  });

  it('SE: 10-digit, 12-digit, "-" and "+" forms, stored as 12 digits', () => {
    expect(validateSePersonnummer('880320-0016', TODAY)).toEqual({
      ok: true,
      birthDate: '1988-03-20',
      canonical: '198803200016',
    });
    expect(validateSePersonnummer('8803200016', TODAY)).toMatchObject({ canonical: '198803200016' });
    expect(validateSePersonnummer('19880320-0016', TODAY)).toMatchObject({ canonical: '198803200016' });
    expect(validateSePersonnummer('880320+0016', TODAY)).toEqual({
      ok: true,
      birthDate: '1888-03-20',
      canonical: '188803200016',
    });
  });

  it('SE: the 10-digit form takes the latest century that is not in the future', () => {
    const born2020 = sePersonnummer12({ year: 2020, month: 1, day: 5 }, 123).slice(2);
    expect(validateSePersonnummer(born2020, TODAY)).toMatchObject({ birthDate: '2020-01-05' });
    const born1926 = sePersonnummer12({ year: 1926, month: 12, day: 31 }, 123).slice(2);
    // 261231 on 2026-11-28 would be in the future: 1926.
    expect(validateSePersonnummer(born1926, TODAY)).toMatchObject({ birthDate: '1926-12-31' });
    expect(validateSePersonnummer(born1926, '2026-12-31')).toMatchObject({ birthDate: '2026-12-31' });
  });

  it('SE: coordination numbers (day + 60) are accepted with the real day', () => {
    const number = sePersonnummer12({ year: 1990, month: 5, day: 17 }, 42, true);
    expect(validateSePersonnummer(number, TODAY)).toMatchObject({ ok: true, birthDate: '1990-05-17' });
  });

  it('SI: a check result of 10 gives the check digit 0 (about one stem in eleven)', () => {
    // Twelve-digit stems whose check would be 10: only the final digit 0 makes them valid.
    const stems: string[] = [];
    for (let serial = 0; serial < 1000; serial++) {
      const twelve = `0101980${'50'}${String(serial).padStart(3, '0')}`;
      const sum = [...twelve].reduce(
        (a, d, i) => a + Number(d) * ([7, 6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2][i] ?? 0),
        0,
      );
      if (sum % 11 === 1) stems.push(twelve);
    }
    expect(stems.length).toBeGreaterThan(60);
    for (const stem of stems) {
      expect(validateSiEmso(`${stem}0`)).toEqual({ ok: true, birthDate: '1980-01-01' });
      for (let k = 1; k <= 9; k++) {
        expect(validateSiEmso(`${stem}${k}`)).toEqual({ ok: false, code: 'invalid_checksum' });
      }
    }
  });

  it('LV: no check-digit rejection; codes starting with 32 carry no date; the old format must be a real date', () => {
    expect(validateLvPersonasKods('161175-19990')).toEqual({ ok: true, birthDate: '1975-11-16' });
    expect(validateLvPersonasKods('32123456789')).toEqual({ ok: true });
    expect(validateLvPersonasKods('310275-12345')).toEqual({ ok: false, code: 'invalid_date' });
    expect(validateLvPersonasKods('010100-01234')).toEqual({ ok: true, birthDate: '1800-01-01' });
  });

  it('ES: the DNI letter is the check character, case-insensitive', () => {
    expect(validateEsDni('54362315k')).toEqual({ ok: true });
    expect(validateEsDni('54.362.315-K')).toEqual({ ok: true });
  });

  it('ES: a number of fewer than 8 digits is padded with zeros before the letter check', () => {
    expect(validateEsDni('1234567L')).toEqual({ ok: true, canonical: '01234567L' });
    expect(validateEsDni('01234567L')).toEqual({ ok: true });
    expect(validateEsDni('12345v')).toEqual({ ok: true, canonical: '00012345V' });
    expect(validateEsDni('1234567A')).toEqual({ ok: false, code: 'invalid_checksum' });
  });
});

/** Every position, every other digit: the single-digit corruptions of a number. */
function corruptions(number: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < number.length; i++) {
    const c = number.charAt(i);
    if (c < '0' || c > '9') continue;
    for (let d = 0; d <= 9; d++) {
      if (String(d) !== c) out.push(`${number.slice(0, i)}${d}${number.slice(i + 1)}`);
    }
  }
  return out;
}

const weighted = (s: string, w: readonly number[]) =>
  [...s].reduce((a, d, i) => a + Number(d) * (w[i] ?? 0), 0);

/**
 * When a validator may accept a single-digit corruption, and why. Algorithms not listed detect
 * every single-digit error: ES DNI (10^i mod 23 ≠ 0), HR OIB (ISO 7064 MOD 11,10), PL PESEL (weights
 * coprime with 10), PT citizen card (Luhn, digits only), SE (Luhn, 10-digit form).
 */
const KNOWN_COLLAPSES: Partial<
  Record<DocumentNumberValidatorId, (original: string, corrupted: string) => boolean>
> = {
  // 10 → 0: raw remainders 0 and 10 give the same check digit.
  BG_EGN: (o, c) => {
    const w = [2, 4, 8, 5, 10, 9, 7, 3, 6];
    return (
      new Set([weighted(o, w) % 11, weighted(c, w) % 11]).size === 2 && [0, 10].includes(weighted(c, w) % 11)
    );
  },
  // The first pass gave 10 for one of them (second pass or the final 10 → 0).
  EE_ISIKUKOOD: (o, c) => [o, c].some((n) => weighted(n, [1, 2, 3, 4, 5, 6, 7, 8, 9, 1]) % 11 === 10),
  LT_ASMENS_KODAS: (o, c) => [o, c].some((n) => weighted(n, [1, 2, 3, 4, 5, 6, 7, 8, 9, 1]) % 11 === 10),
  // 10 → 1: raw remainders 1 and 10 give the same check digit.
  RO_CNP: (o, c) => {
    const w = [2, 7, 9, 1, 4, 6, 3, 5, 8, 2, 7, 9];
    return [1, 10].includes(weighted(o, w) % 11) && [1, 10].includes(weighted(c, w) % 11);
  },
  // 10 → 0: raw remainders 0 and 1 give the same check digit.
  SI_EMSO: (o, c) => {
    const w = [7, 6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
    return [0, 1].includes(weighted(o, w) % 11) && [0, 1].includes(weighted(c, w) % 11);
  },
  // The corruption moved the number to the other century variant (with or without the "2" prefix).
  BE_NATIONAL_REGISTER_NUMBER: (o, c) => {
    const passes1900 = (n: string) => 97 - (Number(n.slice(0, 9)) % 97) === Number(n.slice(9));
    return passes1900(o) !== passes1900(c);
  },
};

const CHECKED: readonly DocumentNumberValidatorId[] = [
  'BE_NATIONAL_REGISTER_NUMBER',
  'BG_EGN',
  'EE_ISIKUKOOD',
  'ES_DNI',
  'HR_OIB',
  'LT_ASMENS_KODAS',
  'PL_PESEL',
  'PT_CITIZEN_CARD',
  'RO_CNP',
  'SE_PERSONNUMMER',
  'SI_EMSO',
];

describe('check-digit validators: properties', () => {
  it.each(Object.keys(validNumbers) as (keyof typeof validNumbers)[])(
    '%s accepts every generated valid number, with its encoded birth date',
    (id) => {
      fc.assert(
        fc.property(validNumbers[id], ({ number, birthDate }) => {
          const result = DOCUMENT_NUMBER_VALIDATORS[id](number, TODAY);
          expect(result.ok).toBe(true);
          if (result.ok && birthDate !== undefined) expect(result.birthDate).toBe(birthDate);
        }),
        { numRuns: 300 },
      );
    },
  );

  it.each(CHECKED)('%s rejects single-digit corruptions, except in its documented collapse', (id) => {
    const collapse = KNOWN_COLLAPSES[id];
    fc.assert(
      fc.property(validNumbers[id], ({ number }) => {
        // Sweden: the Luhn digit covers the 10-digit form; the century digits are not protected.
        const subject = id === 'SE_PERSONNUMMER' ? number.slice(2) : number;
        for (const corrupted of corruptions(subject)) {
          const result = DOCUMENT_NUMBER_VALIDATORS[id](corrupted, TODAY);
          if (result.ok) {
            expect(collapse, `${id} accepted a corruption`).toBeDefined();
            expect(collapse?.(subject, corrupted)).toBe(true);
          } else {
            expect(['invalid_checksum', 'invalid_format', 'invalid_date']).toContain(result.code);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it.each(Object.keys(KNOWN_COLLAPSES) as DocumentNumberValidatorId[])(
    '%s: the collapse really happens (so the exception above is needed)',
    (id) => {
      let accepted = 0;
      fc.assert(
        fc.property(validNumbers[id], ({ number }) => {
          for (const corrupted of corruptions(number)) {
            if (DOCUMENT_NUMBER_VALIDATORS[id](corrupted, TODAY).ok) accepted++;
          }
        }),
        { numRuns: 2000, seed: 42 },
      );
      expect(accepted).toBeGreaterThan(0);
    },
  );

  it('every validator returns a result (never throws) for arbitrary strings', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 60 }),
        fc.constantFrom(...CHECKED, 'LV_PERSONAS_KODS' as const),
        (s, id) => {
          const result = DOCUMENT_NUMBER_VALIDATORS[id](s, TODAY);
          expect(typeof result.ok).toBe('boolean');
        },
      ),
    );
  });
});
