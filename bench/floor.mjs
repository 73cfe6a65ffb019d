// The floor for `npm run synth`: a plain Node script that writes the very same
// files with the `yaml` package, from objects already in memory (a JSON file of
// { path, header, object } per YAML file; { path, text } for any other file,
// written as is). Usage: node bench/floor.mjs <objects.json> <outdir>
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';

const [input, outdir] = process.argv.slice(2);
const files = JSON.parse(readFileSync(input, 'utf8'));
for (const { path, header, object, text } of files) {
  const target = join(outdir, path);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, text ?? header + stringify(object, { lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false }));
}
