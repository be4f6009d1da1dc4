/** Validation of statements of support, and what the browser form needs. */
export * from './fields';
export * from './form';
export * from './messages';
export * from './validate-statement';
