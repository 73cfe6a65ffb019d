/**
 * An output folder as a whole: reading it, comparing it, and telling whether
 * it is this project's (the marker, or files an older synth wrote).
 */
import { join } from 'node:path';
import { type FileSystem, nodeFileSystem } from '../core/file-system';
import { UserError } from '../core/user-error';
import { isUnmarkedOutputFile, OUTPUT_MARKER, OUTPUT_MARKER_TEXT } from './layout';
import type { FileMap } from './cluster-files';

/** Largest file read from an output folder, in bytes (rendered files are a few KiB). */
const OUTPUT_FILE_LIMIT = 64 * 1024 * 1024;

/**
 * A kind of folder that a command replaces as a whole: its marker file, and
 * how the files of the folder are recognised before the marker existed.
 */
export interface ReplacedFolder {
  /** The marker file at the top of the folder (committed with it). */
  readonly marker: string;
  /** What the marker says, always the same. */
  readonly markerText: string;
  /** True for a file (relative path, text) that this kind's command wrote before the marker existed. */
  recognises(path: string, text: string): boolean;
  /** What to do when the folder is not this kind's, for messages. */
  readonly fix: string;
  /** The command that replaces it, for messages (`synth`). */
  readonly command: string;
}

/** `dist/`, as synth replaces it. */
export const SYNTH_OUTPUT: ReplacedFolder = {
  marker: OUTPUT_MARKER,
  markerText: OUTPUT_MARKER_TEXT,
  recognises: isUnmarkedOutputFile,
  fix: 'synth replaces the whole folder, so it only replaces its own: set CDK8S_OUTDIR to an empty or new folder',
  command: 'synth',
};

/** How the output folder changed. */
export interface WriteResult {
  /** Files that did not exist before. */
  readonly added: readonly string[];
  /** Files whose content changed. */
  readonly changed: readonly string[];
  /** Files that existed and are gone (stale output of removed components or clusters). */
  readonly removed: readonly string[];
  /**
   * Set when the new output is in place but the previous copy (or the journal)
   * could not be removed: what is left, and what to do.
   */
  readonly leftover?: string;
}

const KIND_WORDS: Readonly<Record<string, string>> = {
  link: 'a symbolic link',
  fifo: 'a FIFO (named pipe)',
  device: 'a device',
  socket: 'a socket',
  file: 'a file',
  folder: 'a folder',
};

/**
 * Reads every file below `dir` (relative paths with `/`, sorted). A missing
 * folder is an empty map. Anything but files and folders (a link, a FIFO) is
 * refused: rendered output never holds one.
 *
 * @throws UserError naming the first entry that is not a file or a folder
 */
export function readTree(dir: string, fs: FileSystem = nodeFileSystem()): FileMap {
  const files: FileMap = new Map();
  if (fs.kindOf(dir, false) === undefined) {
    return files;
  }
  const walk = (relative: string): void => {
    for (const entry of fs.list(relative === '' ? dir : join(dir, relative))) {
      const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.kind === 'folder') {
        walk(path);
      } else if (entry.kind === 'file') {
        files.set(path, fs.read(join(dir, path), OUTPUT_FILE_LIMIT));
      } else {
        throw new UserError([
          {
            file: join(dir, path),
            message: `expected only files and folders in the output, got ${KIND_WORDS[entry.kind]}; remove it (synth never writes one)`,
          },
        ]);
      }
    }
  };
  walk('');
  return files;
}

/** Compares a rendered file map with what is on disk. */
export function diffTree(before: FileMap, after: FileMap): WriteResult {
  const added: string[] = [];
  const changed: string[] = [];
  const removed: string[] = [];
  for (const [path, content] of after) {
    const old = before.get(path);
    if (old === undefined) {
      added.push(path);
    } else if (old !== content) {
      changed.push(path);
    }
  }
  for (const path of before.keys()) {
    if (!after.has(path)) {
      removed.push(path);
    }
  }
  return { added: added.sort(), changed: changed.sort(), removed: removed.sort() };
}

/** The files of an output folder as synth writes them: the rendered files and the marker. */
export function outputFiles(files: FileMap, kind: ReplacedFolder = SYNTH_OUTPUT): FileMap {
  return new Map([...files, [kind.marker, kind.markerText]]);
}

/** A rendered file map without the marker (what plan and validate compare). */
export function withoutMarker(files: FileMap): FileMap {
  return new Map([...files].filter(([path]) => path !== OUTPUT_MARKER));
}

/**
 * The first file of a file map that shows it is not this project's output, or
 * undefined when it is: a map with the marker, or one whose every file an
 * older synth wrote (see `isUnmarkedOutputFile`).
 */
export function foreignFile(files: FileMap): string | undefined {
  if (files.get(OUTPUT_MARKER) !== undefined) return undefined;
  for (const [path, text] of files) {
    if (!isUnmarkedOutputFile(path, text)) return path;
  }
  return undefined;
}

/**
 * Checks that `dir` may be replaced by synth: absent, empty, marked as this
 * project's output, or (once, for output written before the marker existed)
 * holding only files synth writes. It stops at the first foreign entry, so
 * pointing it at a home folder reads next to nothing.
 *
 * @param what for a folder that is only read, how messages name it (`--base`)
 * @throws UserError naming the folder and what is wrong with it
 */
export function assertOutputFolder(dir: string, fs: FileSystem = nodeFileSystem(), what?: string, folder: ReplacedFolder = SYNTH_OUTPUT): void {
  // A folder that is only read may be reached through a link; one that is replaced may not (the link would go).
  const kind = fs.kindOf(dir, what !== undefined);
  if (kind === undefined) return;
  if (kind !== 'folder') {
    throw new UserError([
      { file: dir, message: `expected the output folder, got ${KIND_WORDS[kind]}; move it out of the way or set CDK8S_OUTDIR to a folder of its own` },
    ]);
  }
  const entries = fs.list(dir);
  if (entries.length === 0 || entries.some((entry) => entry.name === folder.marker && entry.kind === 'file')) return;
  const foreign = firstForeignEntry(dir, '', fs, folder);
  if (foreign !== undefined) {
    const why = `not an output folder of this project (no ${folder.marker}, and ${foreign} is not a file ${folder.command} writes)`;
    throw new UserError([
      {
        file: dir,
        message: what === undefined ? `${why}; ${folder.fix}` : `${what}: ${why}; give the folder of the output to compare with`,
      },
    ]);
  }
}

function firstForeignEntry(dir: string, relative: string, fs: FileSystem, kind: ReplacedFolder): string | undefined {
  for (const entry of fs.list(relative === '' ? dir : join(dir, relative))) {
    const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
    // The layout is at most three folders deep (<cluster>/bootstrap/values/<file>).
    if (entry.kind === 'folder' && path.split('/').length < 4) {
      const inner = firstForeignEntry(dir, path, fs, kind);
      if (inner !== undefined) return inner;
    } else if (entry.kind !== 'file' || !kind.recognises(path, fs.read(join(dir, path), OUTPUT_FILE_LIMIT))) {
      return path;
    }
  }
  return undefined;
}

/**
 * Reads an output folder to compare with (plan's base, validate): it must
 * exist, hold files and be this project's output; a missing or empty base
 * would make every removal pass unseen.
 *
 * @param what how the folder is named in messages, e.g. `--base`
 * @returns its files without the marker
 * @throws UserError for a missing, empty or foreign folder
 */
export function readOutput(dir: string, what: string, fs: FileSystem = nodeFileSystem()): FileMap {
  const kind = fs.kindOf(dir);
  if (kind === undefined) {
    throw new UserError([{ file: dir, message: `${what}: no such folder; give the folder of the output to compare with` }]);
  }
  if (kind !== 'folder') {
    throw new UserError([{ file: dir, message: `${what}: expected a folder of rendered output, got ${KIND_WORDS[kind]}` }]);
  }
  assertOutputFolder(dir, fs, what);
  const files = withoutMarker(readTree(dir, fs));
  if (files.size === 0) {
    throw new UserError([
      { file: dir, message: `${what}: the folder holds no rendered files, so nothing could be compared; give the folder of the output to compare with` },
    ]);
  }
  return files;
}
