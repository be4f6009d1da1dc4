// Fails early with a clear message when a script runs on a Node older than the pinned one.
// npm puts node_modules/.bin first on PATH, so `npm run`/`npx` use the `node@24` devDependency.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  console.error(
    `This project needs Node.js 24 (found ${process.version}). Run scripts through npm (npm start, npm test) so the pinned node@24 devDependency is used, after npm install.`,
  );
  process.exit(1);
}
