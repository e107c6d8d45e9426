import fs from 'node:fs/promises';
import path from 'node:path';
import { openArchive } from './archive-source.js';
import { MANIFEST_FILE, referencedFiles, type Manifest } from './manifest.js';
import { writeZipFromDirectory } from './zip.js';

/**
 * A zip archive is assembled as a directory in a hidden staging folder next to it (seeded with the
 * previous zip's content, so unchanged apps are recognised), then zipped and renamed into place.
 */

/** A hidden staging folder next to the zip, where the archive is assembled before it is zipped. */
export async function createZipStaging(zipPath: string): Promise<string> {
  const parent = path.dirname(path.resolve(zipPath));
  await fs.mkdir(parent, { recursive: true });
  return fs.mkdtemp(path.join(parent, `.${path.basename(zipPath)}.staging-`));
}

/** Copies the previous zip's content into the staging folder, so unchanged apps are recognised and kept. */
export async function seedFromPreviousZip(zipPath: string, staging: string): Promise<void> {
  const exists = await fs.stat(zipPath).then(
    (s) => s.isFile(),
    () => false,
  );
  if (!exists) return;
  const previous = await openArchive(zipPath);
  try {
    for (const file of previous.files) {
      const target = path.join(staging, ...file.split('/'));
      if (!target.startsWith(staging + path.sep)) continue;
      await fs.mkdir(path.dirname(target), { recursive: true });
      await fs.writeFile(target, await previous.read(file));
    }
  } finally {
    await previous.close();
  }
}

export async function zipStaging(staging: string, zipPath: string, manifest: Manifest, fileMode: number | undefined): Promise<void> {
  const files = [MANIFEST_FILE, ...referencedFiles(manifest).map((ref) => ref.file)];
  await writeZipFromDirectory(staging, files, zipPath, { mtime: new Date(manifest.createdAt), ...(fileMode !== undefined ? { mode: fileMode } : {}) });
}
