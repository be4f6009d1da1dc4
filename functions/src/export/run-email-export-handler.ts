import { config } from '../config/config';
import { exportFunction } from './run-export-handler';
import { makeExportJobRunner } from './wiring';

/**
 * The e-mail export function: the only function whose role may Decrypt e-mail data keys (the key
 * policy says so, under the e-mails' encryption context); it can open no statement.
 */
export const handler = exportFunction('emails', () => makeExportJobRunner(config(), 'emails'));
