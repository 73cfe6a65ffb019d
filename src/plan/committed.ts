/**
 * The output folder as committed at `HEAD`, read with Git: what Argo CD syncs
 * once the branch is merged, whatever the working tree holds (a synth since the
 * last commit changes the working tree, not the comparison).
 */
import { spawnSync } from 'node:child_process';
import { isAbsolute, relative, resolve } from 'node:path';
import { UserError } from '../core/user-error';
import type { FileMap } from '../synth/cluster-files';
import { foreignFile, withoutMarker } from '../synth/output-folder';

/** Largest Git output read (every committed output file at once). */
const MAX_BUFFER = 512 * 1024 * 1024;

const PASS_BASE = 'pass --base <folder> with the output to compare with';

/** Runs git in `cwd`; the problem is named after `outdir`. */
function git(command: string, cwd: string, outdir: string, args: readonly string[], input?: string, at = 'HEAD'): Buffer {
  const run = spawnSync(command, args, { cwd, input, maxBuffer: MAX_BUFFER });
  if (run.error !== undefined) {
    const code = (run.error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'git is not installed (or not on PATH)' : `git could not run (${code ?? run.error.message})`;
    throw new UserError([{ file: outdir, message: `cannot read ${outdir}/ as committed at ${at}: ${why}; ${PASS_BASE}` }]);
  }
  if (run.status !== 0) {
    const stderr = run.stderr.toString('utf8');
    const why = /not a git repository/i.test(stderr)
      ? 'this folder is not in a Git repository'
      : /(unknown revision|bad revision|not a valid object name|does not have any commits)/i.test(stderr) && /HEAD/.test(stderr)
        ? 'the repository has no commit yet'
        : `git ${args[0]} failed: ${
            stderr
              .split('\n')
              .find((line) => line.trim() !== '')
              ?.trim() ?? `exit ${run.status}`
          }`;
    throw new UserError([{ file: outdir, message: `cannot read ${outdir}/ as committed at ${at}: ${why}; ${PASS_BASE}` }]);
  }
  return run.stdout;
}

/**
 * The files of `outdir` as committed at `HEAD` (paths relative to it, without
 * the marker), read with one `git ls-tree` and one `git cat-file --batch`.
 *
 * @param root the working folder; `outdir` is relative to it
 * @param command the Git program
 * @throws UserError when there is no Git, no commit, no committed output, or
 *   the committed folder is not this project's output
 */
export function committedOutput(outdir: string, root: string, command = 'git', rev = 'HEAD'): FileMap {
  const at = rev === 'HEAD' ? 'HEAD' : rev.slice(0, 12);
  const files = committedFolder(outdir, root, command, rev);
  if (files.size === 0) {
    throw new UserError([
      {
        file: outdir,
        message: `nothing is committed in ${outdir}/ at ${at}, so every removal would pass unseen; commit the output of \`npm run synth\` first, or ${PASS_BASE}`,
      },
    ]);
  }
  const foreign = foreignFile(files);
  if (foreign !== undefined) {
    throw new UserError([
      { file: outdir, message: `what ${at} holds in ${outdir}/ is not an output of this project (${foreign} is not a file synth writes); ${PASS_BASE}` },
    ]);
  }
  const output = withoutMarker(files);
  if (output.size === 0) {
    throw new UserError([
      {
        file: outdir,
        message: `${at} holds only the output marker in ${outdir}/, so every removal would pass unseen; commit the output of \`npm run synth\` first, or ${PASS_BASE}`,
      },
    ]);
  }
  return output;
}

/** The commit a plan compares with when no `--base` is given, and how it was chosen. */
export interface BaseCommit {
  /** Full commit id. */
  readonly commit: string;
  /** `the merge base of HEAD and origin/main`, or `HEAD itself: main already holds it`. */
  readonly how: string;
}

/**
 * The commit "what Argo CD syncs now" is read from: the merge base of `HEAD`
 * and the default branch, so "commit, then plan" on a branch shows the
 * branch's whole change. The default branch is the one `origin/HEAD` names,
 * else `origin/main`, `origin/master`, `main` or `master`, the first that
 * exists.
 *
 * @throws UserError when there is no Git, no commit, no default branch, or no
 *   common ancestor (it never falls back to `HEAD`, which would hide the branch's removals)
 */
export function mergeBaseCommit(root: string, outdir: string, command = 'git'): BaseCommit {
  const head = git(command, root, outdir, ['log', '-1', '--format=%H', 'HEAD']).toString('utf8').trim();
  const exists = (ref: string): boolean => spawnSync(command, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: root }).status === 0;
  const symbolic = spawnSync(command, ['symbolic-ref', '--quiet', 'refs/remotes/origin/HEAD'], { cwd: root });
  const originHead =
    symbolic.status === 0
      ? symbolic.stdout
          .toString('utf8')
          .trim()
          .replace(/^refs\/remotes\//, '')
      : undefined;
  const candidates = [...(originHead === undefined ? [] : [originHead]), 'origin/main', 'origin/master', 'main', 'master'];
  const branch = candidates.find(exists);
  if (branch === undefined) {
    throw new UserError([
      {
        file: outdir,
        message: `cannot tell which commit to compare with: no default branch (origin/HEAD, origin/main, origin/master, main or master); ${PASS_BASE}`,
      },
    ]);
  }
  const run = spawnSync(command, ['merge-base', 'HEAD', branch], { cwd: root });
  const commit = run.status === 0 ? run.stdout.toString('utf8').trim() : '';
  if (commit === '') {
    throw new UserError([{ file: outdir, message: `cannot compare with ${branch}: HEAD and ${branch} have no common commit; ${PASS_BASE}` }]);
  }
  const how =
    commit === head ? `HEAD itself: ${branch} already holds it` : `the merge base of HEAD and ${branch}${originHead === branch ? ' (origin/HEAD)' : ''}`;
  return { commit, how };
}

/**
 * The files of a folder as committed at `HEAD` (paths relative to it), read
 * with one `git ls-tree` and one `git cat-file --batch`; empty when nothing is
 * committed there.
 *
 * @param root the working folder; `folder` is relative to it
 * @throws UserError when there is no Git or no commit, or the folder holds anything but files
 */
export function committedFolder(folder: string, root: string, command = 'git', rev = 'HEAD'): FileMap {
  const outdir = folder;
  const path = relative(root, resolve(root, outdir));
  if (path === '' || path.startsWith('..') || isAbsolute(path)) {
    throw new UserError([{ file: outdir, message: `cannot read ${outdir}/ as committed at HEAD: it is not inside the working folder; ${PASS_BASE}` }]);
  }
  const at = rev === 'HEAD' ? 'HEAD' : rev.slice(0, 12);
  const prefix = `${path.split('\\').join('/')}/`;
  const listing = git(command, root, outdir, ['ls-tree', '-r', '-z', rev, '--', prefix], undefined, at).toString('utf8');
  const entries: { oid: string; file: string }[] = [];
  for (const record of listing.split('\0')) {
    if (record === '') continue;
    const tab = record.indexOf('\t');
    const [mode, type, oid] = record.slice(0, tab).split(' ');
    const file = record.slice(tab + 1);
    if (!file.startsWith(prefix)) continue;
    if (type !== 'blob' || mode === '120000') {
      throw new UserError([
        {
          file: `${outdir}/${file.slice(prefix.length)}`,
          message: `committed at ${at} as ${mode === '120000' ? 'a symbolic link' : `a ${type}`}, which synth never writes; ${PASS_BASE}`,
        },
      ]);
    }
    entries.push({ oid, file: file.slice(prefix.length) });
  }
  if (entries.length === 0) return new Map();

  const batch = git(command, root, outdir, ['cat-file', '--batch'], `${entries.map((entry) => entry.oid).join('\n')}\n`, at);
  const files: FileMap = new Map();
  let offset = 0;
  for (const { oid, file } of entries) {
    const end = batch.indexOf(0x0a, offset);
    const [headerOid, , size] = batch.toString('utf8', offset, end).split(' ');
    if (headerOid !== oid || size === undefined) {
      throw new UserError([{ file: `${outdir}/${file}`, message: `git cat-file could not read the committed file; ${PASS_BASE}` }]);
    }
    files.set(file, batch.toString('utf8', end + 1, end + 1 + Number(size)));
    offset = end + 1 + Number(size) + 1;
  }
  return files;
}
