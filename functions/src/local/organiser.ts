import { resolve } from 'node:path';
import { ENV } from '../config/env-names';
import { runOrganiserCli } from './organiser-cli';

/** Entry of `npm run organiser` (see organiser-cli.ts). */
const dataDir = resolve(process.env[ENV.dataDir] ?? '.data');
runOrganiserCli(process.argv.slice(2), dataDir).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
