/**
 * @ocs/shared: the pure domain and the public contract. The rulebook (Annex III as data and
 * checks), validation, normalisation, identity, the statement types, the domain errors, and the
 * API's route table and body types (`contract/`). Runs in the browser and in Lambda: no AWS SDK,
 * no `node:*`, no `process.env`.
 */
export * from './contract/citizen-api';
export * from './contract/routes';
export * from './errors';
export * from './identity';
export * from './initiative';
export * from './normalise';
export * from './rulebook/index';
export * from './sign-in';
export * from './signing-day';
export * from './statement';
export * from './validation/index';
