/** The rulebook: Annex III of Regulation (EU) 2019/788 and its national rules, as data and checks. */
export * from './checksums';
export * from './countries';
export * from './dates';
export * from './documents';
export * from './member-states';
export * from './sources';
export * from './text';
export * from './thresholds';
export type * from './types';
export * from './version';
