import { cpSync, mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AsyncMain, Main } from './run-main';

/** This repository. */
const REPO = process.cwd();

/**
 * A throwaway copy of the repository's inputs (`entries`), sharing node_modules and
 * the content-keyed caches (compiled validators, renders, chart packages, Helm), for a
 * test that changes sources. Run its commands in-process with {@link entryOf}.
 */
export function copyOfRepository(entries: readonly string[], prefix = 'pke-copy-'): string {
  const dir = join(mkdtempSync(join(tmpdir(), prefix)), 'main');
  mkdirSync(join(dir, '.cache'), { recursive: true });
  for (const entry of entries) cpSync(join(REPO, entry), join(dir, entry), { recursive: true });
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'));
  for (const cache of ['validate', 'render', 'charts', 'helm']) {
    mkdirSync(join(REPO, '.cache', cache), { recursive: true });
    symlinkSync(join(REPO, '.cache', cache), join(dir, '.cache', cache));
  }
  return dir;
}

/**
 * The `main` of an entry of a copy (`src/main.ts`, `src/commands/render.ts` …), loaded
 * from the copy's own sources: what `npm run <script>` runs there, without bundling it
 * into a process of its own.
 */
export async function entryOf<T extends Main | AsyncMain = Main>(dir: string, entry: string): Promise<T> {
  const module = (await import(join(dir, entry))) as { main: T };
  return module.main;
}
