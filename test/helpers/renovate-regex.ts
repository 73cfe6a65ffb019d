/**
 * What Renovate's regex manager does with renovate.json's `customManagers`, for the
 * tests: extract the dependencies of a file, and bump one as Renovate's auto-replace
 * writes it. Home-made on purpose (docs/decisions.md, decision 27): the `renovate`
 * package publishes no library entry (only its CLI), needs Node 24.11 or later, and
 * its extraction cannot run without its whole configuration and cache machinery.
 */
import { expect } from 'vitest';

/** One regex manager of renovate.json. */
export interface CustomManager {
  readonly customType: string;
  readonly managerFilePatterns: readonly string[];
  readonly matchStrings: readonly string[];
  readonly matchStringsStrategy?: 'any' | 'recursive' | 'combination';
  readonly datasourceTemplate: string;
}

/** A dependency as Renovate's regex manager extracts it: the named groups of its match strings. */
export interface Extracted {
  readonly file: string;
  readonly depName?: string;
  readonly registryUrl?: string;
  readonly currentValue?: string;
}

/** Where an extracted dependency sits in its file: the text the last match string matched (Renovate's `replaceString`), and its offset. */
interface Located extends Extracted {
  readonly replaceString: string;
  readonly offset: number;
}

/** Renovate writes file patterns as `/regex/`. */
export function filePattern(pattern: string): RegExp {
  expect(pattern.startsWith('/') && pattern.endsWith('/'), pattern).toBe(true);
  return new RegExp(pattern.slice(1, -1));
}

/** Whether the manager reads the file (a path relative to the repository root). */
export function reads(manager: CustomManager, file: string): boolean {
  return manager.managerFilePatterns.some((pattern) => filePattern(pattern).test(file));
}

function locate(manager: CustomManager, file: string, text: string): Located[] {
  const regexes = manager.matchStrings.map((source) => new RegExp(source, 'g'));
  if (manager.matchStringsStrategy === 'recursive') {
    const visit = (content: string, base: number, index: number, groups: Record<string, string>, last: RegExpMatchArray | undefined): Located[] =>
      index === regexes.length
        ? [{ file, ...groups, replaceString: last?.[0] ?? '', offset: base }]
        : [...content.matchAll(regexes[index])].flatMap((match) =>
            visit(match[0], base + (match.index ?? 0), index + 1, { ...groups, ...match.groups }, match),
          );
    return visit(text, 0, 0, {}, undefined);
  }
  return regexes.flatMap((regex) => [...text.matchAll(regex)].map((match) => ({ file, ...match.groups, replaceString: match[0], offset: match.index ?? 0 })));
}

/**
 * What a regex manager extracts from one file's text, as Renovate does it: each match
 * string compiled with the `g` flag; `any` takes every match of every string, `recursive`
 * applies each string to the matches of the one before and merges their groups.
 */
export function extract(manager: CustomManager, file: string, text: string): Extracted[] {
  return locate(manager, file, text).map(({ file: f, depName, registryUrl, currentValue }) => ({
    file: f,
    ...(depName === undefined ? {} : { depName }),
    ...(registryUrl === undefined ? {} : { registryUrl }),
    ...(currentValue === undefined ? {} : { currentValue }),
  }));
}

/**
 * The file after Renovate bumps `depName` to `newValue`: as its auto-replace does, the
 * matched text (`replaceString`) is found at its place and the current value within it
 * replaced by the new one; the rest of the file is untouched. Fails unless exactly one
 * dependency of that name is extracted.
 */
export function bump(manager: CustomManager, file: string, text: string, depName: string, newValue: string): string {
  const found = locate(manager, file, text).filter((dep) => dep.depName === depName);
  expect(found, `${depName} in ${file}`).toHaveLength(1);
  const [{ replaceString, offset, currentValue }] = found;
  expect(text.slice(offset, offset + replaceString.length)).toBe(replaceString);
  const at = replaceString.lastIndexOf(currentValue as string);
  const replaced = replaceString.slice(0, at) + newValue + replaceString.slice(at + (currentValue as string).length);
  return text.slice(0, offset) + replaced + text.slice(offset + replaceString.length);
}
