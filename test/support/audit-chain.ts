import {
  type AuditAction,
  type AuditActor,
  type AuditDetails,
  type AuditEntry,
  nextEntry,
} from '@ocs/shared/audit';

export const ORGANISER: AuditActor = {
  sub: '6f1c2d3e-0000-4000-8000-000000000001',
  email: 'ana@example.org',
};
export const OTHER_ORGANISER: AuditActor = {
  sub: '6f1c2d3e-0000-4000-8000-000000000002',
  email: 'ben@example.org',
};

/** A realistic sequence of organiser actions (no signatory data, as in production). */
export const SAMPLE_ACTIONS: readonly [AuditActor, AuditAction, AuditDetails][] = [
  [ORGANISER, 'sign_in', { authTime: '2026-05-01T08:59:30.000Z' }],
  [ORGANISER, 'initiative_updated', { changedFields: ['collection.end'], digest: 'a'.repeat(64) }],
  [OTHER_ORGANISER, 'sign_in', { authTime: '2026-05-01T09:10:00.000Z' }],
  [ORGANISER, 'go_live', { registrationNumber: 'ECI(2026)000001' }],
  [OTHER_ORGANISER, 'collection_opened', {}],
  [ORGANISER, 'export_requested', { exportId: 'x-1', countries: ['DE', 'FR'] }],
];

/** A valid chain of `count` entries, one minute apart from 2026-05-01T09:00Z. */
export async function buildChain(count = SAMPLE_ACTIONS.length): Promise<AuditEntry[]> {
  const entries: AuditEntry[] = [];
  for (let i = 0; i < count; i++) {
    const [actor, action, details] = SAMPLE_ACTIONS[i % SAMPLE_ACTIONS.length] as (typeof SAMPLE_ACTIONS)[0];
    const at = new Date(Date.UTC(2026, 4, 1, 9, i)).toISOString();
    entries.push(await nextEntry(entries.at(-1), { at, actor, action, details }));
  }
  return entries;
}
