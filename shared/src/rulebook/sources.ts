import type { SourceKey } from './types';

/**
 * The public sources the rulebook cites (as consulted in November 2026). The facts are copied into
 * `member-states.ts` with the source of each; nothing is read at run time.
 */
export const SOURCES: Readonly<Record<SourceKey, string>> = {
  REG: 'Regulation (EU) 2019/788 on the European citizens’ initiative (consolidated 2024-05-02), Art. 2, 3, Annex I, Annex III.',
  DR: 'European Commission, "Data requirements" page of the ECI forum (citizens-initiative.europa.eu/data-requirements), several language versions.',
  'DR-LT':
    'Lithuanian Central Electoral Commission page on ECI data requirements (confirms the Part A/B split for all 27, consistent with the Commission page).',
  'FI-NEWS': 'European Commission news item: Finnish citizens can sign ECIs from age 16 (from 2025-07-01).',
  'NGO-AGE': 'Democracy International, on the lowering of the ECI age in DE and BE (secondary source).',
  'SEATS-2023':
    'European Council Decision (EU) 2023/2061 on the composition of the European Parliament 2024-2029 (720 seats).',
  'SEATS-2019':
    'Composition of the European Parliament 2019-2024 after the UK withdrawal (705 seats, European Council Decision (EU) 2018/937); recalled, not read.',
  'DEL-1082':
    'Delegated Regulation (EU) 2024/1082 replacing Annex I of Regulation (EU) 2019/788 (recitals read, annex table not read).',
  'EC-OCS-SQL':
    'Country table of the Commission’s online collection software for 2019/788, as released in public code.',
  PROCA:
    'fixthestatusquo/proca and proca-server: ECI document-number and postcode formats, described as EC-released data.',
  STDNUM:
    'python-stdnum (arthurdejong): descriptions of national check-digit algorithms (algorithms only; no code used).',
  WIKIPEDIA: 'Wikipedia articles on national identification numbers (secondary source).',
  UPU: 'Postal-code formats as published by national postal operators and the Universal Postal Union; recalled, not read.',
  'ISO-3166':
    'ISO 3166-1 alpha-2 officially assigned codes (recalled; cross-checked against the region names of Unicode CLDR in tests).',
  CEPT: 'Country prefixes before postal codes (CEPT practice: the international vehicle registration code, later the ISO 3166-1 code, as in "D-10115"); recalled, not read.',
  API: 'The citizen API contract of this software (docs/citizen-api.md): normative for what this system accepts.',
  PROJECT: 'A decision of this project, documented where it is made.',
};
