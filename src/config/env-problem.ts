import type { Environment } from './environment';
import type { Problem } from '../core/user-error';

/**
 * A problem of an environment found after loading (by the planner, the
 * catalog), placed at the first of `pointers` the file spells out (for
 * instance the component's entry under `components`), else on the file.
 */
export function environmentProblem(env: Environment, message: string, ...pointers: readonly string[]): Problem {
  for (const pointer of pointers) {
    const position = env.positions?.[pointer];
    if (position !== undefined) return { file: env.file, line: position.line, column: position.column, path: pointer, message };
  }
  return { file: env.file, message };
}

/** The JSON Pointer of a component's entry in `components` (ids need no escaping: they are DNS labels). */
export function componentPointer(id: string, key?: string): string {
  return key === undefined ? `/components/${id}` : `/components/${id}/${key}`;
}
