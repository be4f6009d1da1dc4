/**
 * The characters and lengths the free-text fields allow, as data with their provenance. The
 * contract sets the frame (letters of any script, spaces, apostrophes, hyphens, dots; at most 100
 * characters; no control characters, no markup); what it leaves open is this project's decision,
 * marked as such.
 */
import type { Provenance, TextRule } from './types';

const CONTRACT_NAMES: Provenance = {
  source: ['API'],
  verified: true,
  note: 'Letters of any script, spaces, apostrophes, hyphens and dots, at most 100 characters. Added here: the typographic apostrophe and hyphen, the middle dot (Catalan l·l) and ZWNJ/ZWJ, which some scripts need inside words.',
};
const ADDRESS_SIGNS: Provenance = {
  source: ['API', 'PROJECT'],
  verified: false,
  note: 'The contract’s name characters plus digits and the signs real addresses use: / , ( ) ° # (Ul. Długa 5/7, Frankfurt (Oder), n° 5). No < > & ; " or other symbols.',
};
const POSTAL_SIGNS: Provenance = {
  source: ['API', 'PROJECT'],
  verified: false,
  note: 'Letters, digits, spaces and hyphens: every national format and country prefix needs no more.',
};

/** Letters and combining marks, spaces, ' ’ - ‐ . · and the zero-width (non-)joiners. */
const NAME_CHARACTERS = /^(?:[\p{L}\p{M} '\u2019\-\u2010.\u00B7]|\u200C|\u200D)+$/u;
/** What names allow, plus digits of any script and / , ( ) ° #. */
const ADDRESS_CHARACTERS = /^(?:[\p{L}\p{M}\p{Nd} '\u2019\-\u2010.\u00B7/,()\u00B0#]|\u200C|\u200D)+$/u;
/** Letters, digits, spaces and hyphens. */
const POSTAL_CHARACTERS = /^[\p{L}\p{Nd} -]+$/u;
const HAS_LETTER = /\p{L}/u;
const HAS_LETTER_OR_DIGIT = /[\p{L}\p{Nd}]/u;

/** The text rule of each free-text field of the contract. */
export const TEXT_RULES = {
  firstNames: {
    max: 100,
    characters: NAME_CHARACTERS,
    mustContain: HAS_LETTER,
    allowEmpty: false,
    provenance: CONTRACT_NAMES,
  },
  familyNames: {
    max: 100,
    characters: NAME_CHARACTERS,
    mustContain: HAS_LETTER,
    allowEmpty: false,
    provenance: CONTRACT_NAMES,
  },
  street: {
    max: 100,
    characters: ADDRESS_CHARACTERS,
    mustContain: HAS_LETTER_OR_DIGIT,
    allowEmpty: false,
    provenance: ADDRESS_SIGNS,
  },
  streetNumber: {
    max: 100,
    characters: ADDRESS_CHARACTERS,
    mustContain: HAS_LETTER_OR_DIGIT,
    allowEmpty: true,
    provenance: {
      ...ADDRESS_SIGNS,
      source: ['API', 'EC-OCS-SQL', 'PROJECT'],
      note: `${ADDRESS_SIGNS.note} May be empty: the contract allows it where the address has no number (the Commission's software requires one).`,
    },
  },
  city: {
    max: 100,
    characters: ADDRESS_CHARACTERS,
    mustContain: HAS_LETTER,
    allowEmpty: false,
    provenance: ADDRESS_SIGNS,
  },
  postalCode: {
    max: 100,
    characters: POSTAL_CHARACTERS,
    mustContain: HAS_LETTER_OR_DIGIT,
    // Empty is decided with the country (`mayBeEmpty` of the postal-code rules).
    allowEmpty: true,
    provenance: POSTAL_SIGNS,
  },
} as const satisfies Record<string, TextRule>;
