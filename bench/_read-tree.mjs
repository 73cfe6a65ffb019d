// Reads every file below a folder into a Map (relative path → content), sorted.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export function readTree(dir) {
  const files = new Map();
  const walk = (relative) => {
    for (const entry of readdirSync(join(dir, relative), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else files.set(path, readFileSync(join(dir, path), 'utf8'));
    }
  };
  walk('');
  return files;
}
