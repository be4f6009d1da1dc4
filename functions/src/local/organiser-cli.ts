import { openOrganiserStore } from './oidc/local-files';
import { InvalidEmailError, OrganiserExistsError } from './oidc/organiser-store';

/**
 * `npm run organiser -- add <email> | list | remove <email>`: organiser accounts of local mode,
 * in the data directory (OCS_DATA_DIR, default `.data`), whether or not `npm start` runs (the
 * server reads the accounts again at each sign-in).
 *
 * `add` prints, each on its own line, `password: <initial password>` and `totp: <otpauth URI>`:
 * put the URI into an authenticator app (or a password manager); the first sign-in asks for a
 * new password.
 */
const USAGE = 'Usage: npm run organiser -- add <email> | list | remove <email>';

/** Runs one command; returns the exit code. Output goes to `out`, diagnostics to `err`. */
export async function runOrganiserCli(
  args: readonly string[],
  dataDir: string,
  out: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  err: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<number> {
  const [command, email, ...rest] = args;
  const store = () => openOrganiserStore(dataDir);
  try {
    if (command === 'add' && email && rest.length === 0) {
      const created = await store().add(email);
      out(`password: ${created.password}`);
      out(`totp: ${created.totpUri}`);
      err('Organiser added. The first sign-in asks for this password, a current code and a new password.');
      return 0;
    }
    if (command === 'list' && email === undefined) {
      const organisers = await store().list();
      for (const o of organisers) {
        out(`${o.email}\tcreated ${o.createdAt}\t${o.mustChangePassword ? 'initial password' : 'active'}`);
      }
      if (organisers.length === 0) err('No organiser yet: npm run organiser -- add <email>');
      return 0;
    }
    if (command === 'remove' && email && rest.length === 0) {
      if (await store().remove(email)) {
        out('removed');
        return 0;
      }
      err('No organiser with this e-mail address.');
      return 1;
    }
  } catch (error) {
    if (error instanceof OrganiserExistsError || error instanceof InvalidEmailError) {
      err(error.message);
      return 1;
    }
    throw error;
  }
  err(USAGE);
  return 2;
}
