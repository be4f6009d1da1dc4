import { DependencyUnavailableError } from '@ocs/shared/errors';

/** Runs a DynamoDB call; any failure becomes `DependencyUnavailableError('database')` (503). */
export async function database<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof DependencyUnavailableError) throw error;
    throw new DependencyUnavailableError('database', { cause: error });
  }
}

/** True for the SDK's error of a failed condition on a single-item write. */
export function isConditionFailed(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}
