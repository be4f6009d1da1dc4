import { brusselsDate, type Initiative } from '@ocs/shared/initiative';
import type { MemberStateCode } from '@ocs/shared/statement';
import { forCountryCode, type GreeceCode, type XmlGroup } from './signatory';
import { xmlText } from './xml-text';

/**
 * The text of one country file, in the layout the Commission's collection software wrote
 * (`supportForm`, see docs/export-format.md and `schema/ocs-export.xsd`): a head with the
 * initiative's data, one `signature` element per statement, a tail. UTF-8, no namespace,
 * two-space indentation, `\n` line ends; every value goes through `xmlText`. The layout is fixed
 * and small, so it is written as text: a general-purpose writer would add per-node calls to the
 * hottest loop of the export and nothing a fixed template needs.
 */

/** The initiative facts the file head carries. */
export interface InitiativeHead {
  readonly registrationNumber: string;
  readonly start: string;
  readonly end: string;
  readonly registerUrl: string;
  readonly title: string;
  readonly objectives: string;
  readonly contactPersons: string;
  readonly url: string;
}

/**
 * What the head says about an initiative. Title and objectives in English, the version the
 * initiative schema makes mandatory (the register publishes every language). The contact persons
 * are the representative and the substitute (Art. 5(3) of Regulation (EU) 2019/788); the project
 * holds no organiser e-mail addresses, so only names are written. `url` is the initiative's
 * website, or its register page when it has none.
 */
export function initiativeHead(initiative: Initiative): InitiativeHead {
  const en = initiative.content.en;
  const contacts = (['representative', 'substitute'] as const).flatMap((role) =>
    initiative.organisers.filter((o) => o.role === role).map((o) => `${o.name} (${role})`),
  );
  return {
    registrationNumber: initiative.registrationNumber,
    start: initiative.collection.start,
    end: initiative.collection.end,
    registerUrl: initiative.registerUrl,
    title: en?.title ?? '',
    objectives: en?.objectives ?? '',
    contactPersons: contacts.join('; '),
    url: en?.website ?? initiative.registerUrl,
  };
}

const el = (indent: string, name: string, value: string) => `${indent}<${name}>${xmlText(value)}</${name}>\n`;

/** The file up to and including `<signatures>`. */
export function supportFormHead(country: MemberStateCode, head: InitiativeHead, greece: GreeceCode): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n<supportForm>\n' +
    el('  ', 'forCountry', forCountryCode(country, greece)) +
    '  <initiativeData>\n' +
    el('    ', 'registrationNumber', head.registrationNumber) +
    el('    ', 'startOfTheCollectionPeriod', head.start) +
    el('    ', 'endOfTheCollectionPeriod', head.end) +
    el('    ', 'urlOnCommissionRegister', head.registerUrl) +
    el('    ', 'title', head.title) +
    el('    ', 'objectives', head.objectives) +
    el('    ', 'registeredContactPersons', head.contactPersons) +
    el('    ', 'url', head.url) +
    '  </initiativeData>\n  <signatures>\n'
  );
}

/** The rest of the file after the last signature. */
export const SUPPORT_FORM_TAIL = '  </signatures>\n</supportForm>\n';

/** The `submissionDate` of an instant: its date in Brussels, where the collection period is kept. */
export class SubmissionDates {
  private readonly byHour = new Map<string, string>();

  /**
   * Brussels is UTC+1 or UTC+2 and changes at 01:00 UTC, so every instant of one UTC hour has the
   * same Brussels date: one Intl call per hour instead of one per statement.
   */
  of(submittedAt: string): string {
    const hour = submittedAt.slice(0, 13);
    let date = this.byHour.get(hour);
    if (date === undefined) {
      if (this.byHour.size >= 10_000) this.byHour.clear();
      date = brusselsDate(new Date(`${hour}:00:00Z`));
      this.byHour.set(hour, date);
    }
    return date;
  }
}

/** One `signature` element. */
export function signatureXml(
  submissionDate: string,
  statementId: string,
  annexRevision: number,
  groups: readonly XmlGroup[],
): string {
  let out =
    '    <signature>\n' +
    el('      ', 'submissionDate', submissionDate) +
    el('      ', 'signatureIdentifier', statementId) +
    el('      ', 'annexRevision', String(annexRevision)) +
    '      <signatoryInfo>\n        <groups>\n';
  for (const group of groups) {
    out += `          <group>\n            <name>${group.name}</name>\n            <properties>\n`;
    for (const p of group.properties) {
      out += `              <property>\n                <key>${p.key}</key>\n${el('                ', 'value', p.value)}              </property>\n`;
    }
    out += '            </properties>\n          </group>\n';
  }
  return `${out}        </groups>\n      </signatoryInfo>\n    </signature>\n`;
}
