import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Integration files run one after another in name order: they share one local system, and the
 * privacy suite (`zz-privacy.test.ts`) must run last, after every other suite has sent its data.
 */
export class AlphabeticalSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return [...files].sort((a, b) => a.moduleId.localeCompare(b.moduleId));
  }
}
