/**
 * @ocs/shared: the pure domain. The rulebook (Annex III as data and checks), validation,
 * normalisation, identity, the statement types and the domain errors. Runs in the browser and in
 * Lambda: no AWS SDK, no `node:*`, no `process.env`.
 */
export * from './errors';
export * from './identity';
export * from './initiative';
export * from './normalise';
export * from './rulebook/index';
export * from './sign-in';
export * from './signing-day';
export * from './statement';
export * from './validation/index';
