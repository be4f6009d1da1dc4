import type { RetentionStatus } from '@ocs/shared/contract/admin-api';
import type { Clock, InitiativeAdminStore } from '@ocs/shared/ports';
import { destructionDeadlineOf, type RetentionStore } from '@ocs/shared/retention';
import { currentState } from './manage-initiative';

/**
 * The retention status (GET /api/admin/retention).
 * Input: none. Output: the deadline and its rule (from the initiative item, as they stand now),
 * when the destruction job last ran, the destruction certificates, where the destruction stands
 * and when the statement key was destroyed.
 */
export async function getRetention(deps: {
  readonly initiatives: InitiativeAdminStore;
  readonly retention: RetentionStore;
  readonly clock: Clock;
}): Promise<RetentionStatus> {
  const [state, { record }] = await Promise.all([currentState(deps.initiatives), deps.retention.read()]);
  const { deadline, rule } = destructionDeadlineOf(state);
  const status = record.run ? 'destroying' : record.certificates.length > 0 ? 'destroyed' : 'scheduled';
  return {
    deadline,
    rule,
    lastRun: record.lastRun ?? null,
    certificates: record.certificates,
    status,
    keyDestruction: record.keyDestroyed ?? null,
  };
}
