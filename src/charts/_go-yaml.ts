/**
 * js-yaml reading plain scalars as go-yaml v2 does (`../synth/yaml11`), for the
 * fast reader of Helm's output (decision 22).
 */
import * as jsYaml from 'js-yaml';
import { FAILSAFE_SCHEMA, Type } from 'js-yaml';
import { type PlainValue, resolvePlain } from '../synth/yaml11';

let lastText: string | undefined;
let lastValue: PlainValue = null;
function classify(text: string): PlainValue {
  if (text !== lastText) {
    lastText = text;
    lastValue = resolvePlain(text);
  }
  return lastValue;
}

function implicit(tag: string, matches: (value: PlainValue) => boolean): Type {
  return new Type(`tag:yaml.org,2002:${tag}`, {
    kind: 'scalar',
    resolve: (data: string | null) => matches(classify(data ?? '')),
    construct: (data: string | null) => classify(data ?? ''),
  });
}

/**
 * A js-yaml schema that reads plain scalars as go-yaml v2 does ({@link resolvePlain}),
 * with `<<` merge keys, which go-yaml v2 also applies.
 */
export const GO_YAML_SCHEMA = FAILSAFE_SCHEMA.extend({
  implicit: [
    implicit('null', (v) => v === null),
    implicit('bool', (v) => typeof v === 'boolean'),
    implicit('int', (v) => typeof v === 'number' && Number.isInteger(v)),
    implicit('float', (v) => typeof v === 'number' && !Number.isInteger(v)),
    // js-yaml 4 exports its merge type at run time; @types/js-yaml does not declare it.
    (jsYaml as unknown as { types: { merge: Type } }).types.merge,
  ],
});
