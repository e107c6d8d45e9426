// Child process for the crash test: commits big manifests over and over into one archive directory until
// it is killed with SIGKILL. argv: <archive dir>. Prints "ready" once the first commit is done.
import { ArchiveWriter } from '../archive-writer.js';
import { ARCHIVE_FORMAT_VERSION, type Manifest } from '../manifest.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: commit-loop.ts <dir>');

for (let round = 0; ; round += 1) {
  const writer = await ArchiveWriter.open(dir);
  const apps: Manifest['apps'] = [];
  // ~1.5 MB of manifest per round, so that a kill lands in the middle of writing it most of the time.
  for (let i = 0; i < 4000; i += 1) {
    const file = `app-${i}.yml`;
    const put = await (i < 3 ? writer.put(file, `app: {name: a${i}}\nkind: app\nversion: '0.6.0'\nround: ${round}\n`) : Promise.resolve({ sha256: 'a'.repeat(64) }));
    apps.push({ id: `id-${i}`, name: `round ${round} app ${i} ${'x'.repeat(200)}`, mode: 'chat', file, sha256: put.sha256 });
  }
  const manifest: Manifest = { formatVersion: ARCHIVE_FORMAT_VERSION, createdAt: new Date().toISOString(), source: { url: 'http://dify.test' }, apps };
  await writer.commit(manifest);
  if (round === 0) process.stdout.write('ready\n');
}
