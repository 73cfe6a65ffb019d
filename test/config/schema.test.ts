import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { FORMAT_PATTERNS } from '../../src/config/_format-patterns';
import { FORMATS, type FormatName } from '../../src/config/formats';
import {
  compileEnvironmentSchema,
  DEFAULTS,
  environmentFileSchema,
  environmentFileValidator,
  GENERATED_VALIDATOR_PATH,
  renderEnvironmentValidator,
} from '../../src/config/schema';
import { EDITOR_SCHEMA_PATH, editorSchemaFor, renderEditorSchema } from '../../src/config/write-editor-schema';
import { componentIds, components } from '../../src/platform/index';
import { INVALID_ENVIRONMENT_MESSAGES } from '../fixtures/invalid-environments';

type SchemaNode = {
  type?: string;
  description?: string;
  default?: unknown;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  items?: SchemaNode;
};

const SCHEMA = environmentFileSchema as unknown as SchemaNode;

/** Every object schema, with its JSON Pointer into the document. */
function objectSchemas(schema: SchemaNode, pointer = ''): { pointer: string; schema: SchemaNode }[] {
  const own = schema.type === 'object' ? [{ pointer, schema }] : [];
  const children = Object.entries(schema.properties ?? {}).flatMap(([key, child]) => objectSchemas(child, `${pointer}/${key}`));
  const extra = typeof schema.additionalProperties === 'object' ? objectSchemas(schema.additionalProperties, `${pointer}/*`) : [];
  const items = schema.items === undefined ? [] : objectSchemas(schema.items, `${pointer}/0`);
  return [...own, ...children, ...extra, ...items];
}

/** The schema of each key in `data`, with the key's JSON Pointer; `undefined` when the schema has none. */
function keysWithSchemas(data: unknown, schema: SchemaNode | undefined, pointer = ''): { pointer: string; schema: SchemaNode | undefined }[] {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return [];
  }
  return Object.entries(data).flatMap(([key, value]) => {
    const child = schema?.properties?.[key] ?? (typeof schema?.additionalProperties === 'object' ? schema.additionalProperties : undefined);
    return [{ pointer: `${pointer}/${key}`, schema: child }, ...keysWithSchemas(value, child, `${pointer}/${key}`)];
  });
}

const EDITOR_SCHEMA = editorSchemaFor(components);

/** What yaml-language-server checks: the editor schema without the custom formats, which it does not know. */
function editorValidator() {
  return new Ajv({ strict: false, validateFormats: false, allErrors: true }).compile(EDITOR_SCHEMA);
}

describe('editor schema', () => {
  it('matches the committed environments/environment.schema.json (run `npm run schema` when this fails)', () => {
    expect(readFileSync(EDITOR_SCHEMA_PATH, 'utf8')).toBe(renderEditorSchema(components));
  });

  it('is a valid draft-07 schema', () => {
    const ajv = new Ajv({ strict: false, validateFormats: false });

    expect(ajv.validateSchema(EDITOR_SCHEMA)).toBe(true);
    expect(EDITOR_SCHEMA).toMatchObject({ $schema: 'http://json-schema.org/draft-07/schema#', title: 'Environment' });
  });

  it('compiles in strict-mode ajv, with the custom formats registered', () => {
    const ajv = new Ajv({ strict: true, allErrors: true });
    for (const [name, format] of Object.entries(FORMATS)) ajv.addFormat(name, { type: 'string', validate: format.validate });

    const validate = ajv.compile(EDITOR_SCHEMA);

    expect(validate(parse(readFileSync('environments/kkg.yaml', 'utf8')))).toBe(true);
  });

  it('carries no ajv-only keyword such as nullable', () => {
    expect(renderEditorSchema(components)).not.toContain('nullable');
  });

  it('gives every custom format its pattern, so editors check what they cannot know as a format', () => {
    const formats = [...JSON.stringify(EDITOR_SCHEMA).matchAll(/"format":"([^"]+)","pattern":"/g)].map((m) => m[1]);
    const allFormats = [...JSON.stringify(EDITOR_SCHEMA).matchAll(/"format":"([^"]+)"/g)].map((m) => m[1]);

    expect(formats.length).toBeGreaterThan(20);
    expect(formats).toStrictEqual(allFormats);
  });

  it("lists exactly the catalog's component ids, each with its description", () => {
    const overrides = (EDITOR_SCHEMA.properties as Record<string, { propertyNames: { enum: string[] }; properties: Record<string, { description: string }> }>)
      .components;

    expect(overrides.propertyNames.enum).toStrictEqual([...componentIds].sort());
    expect(Object.keys(overrides.properties)).toStrictEqual([...componentIds].sort());
    for (const spec of components) {
      expect(overrides.properties[spec.id].description).toBe(spec.description);
    }
  });

  it('accepts both committed environment files, as an editor checks them', () => {
    const validate = editorValidator();

    for (const file of ['environments/kkg.yaml', 'environments/example.yaml']) {
      expect(validate(parse(readFileSync(file, 'utf8'))), file).toBe(true);
    }
  });

  it.each(['bad-ip-address', 'bad-domain', 'bad-email', 'inexact-version', 'unknown-component', 'unknown-key', 'wrong-type'])(
    'flags the %s fixture in an editor, without the custom formats',
    (fixture) => {
      const [, path] = /^[^:]+:\d+:\d+: (\S+): /.exec(INVALID_ENVIRONMENT_MESSAGES[fixture]) as RegExpExecArray;
      const validate = editorValidator();

      expect(validate(parse(readFileSync(`test/fixtures/invalid-environments/${fixture}/lab.yaml`, 'utf8')))).toBe(false);
      const reported = (validate.errors ?? []).map((error) =>
        error.keyword === 'additionalProperties' ? `${error.instancePath}/${error.params.additionalProperty}` : error.instancePath,
      );
      expect(reported).toContain(path);
    },
  );

  it('is pointed at by the first line of each committed environment file', () => {
    for (const file of ['environments/kkg.yaml', 'environments/example.yaml']) {
      expect(readFileSync(file, 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=./environment.schema.json');
    }
  });
});

describe('environmentFileSchema', () => {
  it('describes every key the kkg environment file uses', () => {
    const data: unknown = parse(readFileSync('environments/kkg.yaml', 'utf8'));

    const undescribed = keysWithSchemas(data, SCHEMA)
      .filter(({ schema }) => schema?.description === undefined)
      .map(({ pointer }) => pointer);

    expect(undescribed).toStrictEqual([]);
  });

  it('forbids unknown keys in every mapping', () => {
    const open = objectSchemas(SCHEMA)
      .filter(({ schema }) => schema.additionalProperties === undefined || schema.additionalProperties === true)
      .map(({ pointer }) => pointer);

    expect(open).toStrictEqual([]);
  });

  it('gives each optional key the literal default its JSDoc states in environment.ts', () => {
    // GIVEN the literal @defaults of environment.ts, per interface and field
    const source = readFileSync('src/config/environment.ts', 'utf8');
    const stated: { iface: string; field: string; value: unknown }[] = [];
    for (const [, iface, body] of source.matchAll(/export interface (\w+) \{([\s\S]*?)\n\}/g)) {
      for (const [, literal, field] of body.matchAll(/@default (.+)\n\s*\*\/\n\s*(\w+)\?:/g)) {
        // `- prose` and templates such as "minio.<domains.internal>" are resolved by the loader, not the schema.
        if (!literal.startsWith('-') && !literal.includes('<')) {
          stated.push({ iface, field, value: JSON.parse(literal) });
        }
      }
    }
    const schemaOf: Record<string, SchemaNode | undefined> = {
      EnvironmentFile: SCHEMA,
      GitSettings: SCHEMA.properties?.git,
      ArgoCdSettings: SCHEMA.properties?.argocd,
      ApiServerSettings: SCHEMA.properties?.cluster?.properties?.apiServer,
      ClusterSettings: SCHEMA.properties?.cluster,
      DomainSettings: SCHEMA.properties?.domains,
      AcmeSettings: SCHEMA.properties?.acme,
      MinioSettings: SCHEMA.properties?.minio,
      L2AnnouncementSettings: SCHEMA.properties?.loadBalancer?.properties?.l2,
    };

    // THEN the schema has the same default for each
    expect(stated.length).toBeGreaterThanOrEqual(9);
    for (const { iface, field, value } of stated) {
      expect(schemaOf[iface]?.properties?.[field]?.default, `${iface}.${field}`).toStrictEqual(value);
    }
  });

  it("defaults to the Let's Encrypt production directory", () => {
    expect(DEFAULTS.acmeServer).toBe('https://acme-v02.api.letsencrypt.org/directory');
  });
});

describe('environmentFileValidator', () => {
  it('compiles from a schema that passes the JSON Schema meta-schema and strict mode (synth skips that check)', () => {
    expect(() => compileEnvironmentSchema({ checkSchema: true })).not.toThrow();
  });

  it('returns the same validator every time', () => {
    expect(environmentFileValidator()).toBe(environmentFileValidator());
  });

  it('is the committed src/config/environment-validator.generated.ts (run `npm run schema` when this fails)', () => {
    expect(readFileSync(GENERATED_VALIDATOR_PATH, 'utf8')).toBe(renderEnvironmentValidator());
  });

  it('finds what the validator compiled at run time finds, error for error', () => {
    const compiled = compileEnvironmentSchema({ checkSchema: false });
    const broken = { ...(parse(readFileSync('environments/kkg.yaml', 'utf8')) as object), name: 'Not_A_Label', extra: true, timezone: 'Mars/Olympus' };
    const strip = (errors: typeof compiled.errors) =>
      (errors ?? []).map(({ instancePath, keyword, params, message }) => ({ instancePath, keyword, params, message }));

    expect(environmentFileValidator()(broken)).toBe(false);
    expect(compiled(broken)).toBe(false);
    expect(strip(environmentFileValidator().errors)).toEqual(strip(compiled.errors));
  });

  it('narrows valid data to an EnvironmentFile', () => {
    const data: unknown = parse(readFileSync('environments/kkg.yaml', 'utf8'));
    const validate = environmentFileValidator();

    if (!validate(data)) {
      throw new Error(`kkg.yaml should be valid: ${JSON.stringify(validate.errors)}`);
    }
    expect(data.cluster.label).toBe('kkg');
  });

  it('collects every error instead of stopping at the first', () => {
    const validate = environmentFileValidator();

    expect(validate({})).toBe(false);
    expect(validate.errors?.length).toBe(9);
  });
});

/** Values each format must accept and reject. */
const FORMAT_CASES: Record<FormatName, { accepts: string[]; rejects: string[] }> = {
  ipv4: {
    accepts: ['0.0.0.0', '192.168.20.10', '255.255.255.255'],
    rejects: ['nas', '192.168.20', '192.168.20.256', '192.168.020.10', '10.0.0.1/32', ' 10.0.0.1', '1.2.3.4.5'],
  },
  'ipv4-cidr': {
    accepts: ['10.26.0.0/16', '0.0.0.0/0', '10.0.0.1/32'],
    rejects: ['10.26.0.1/16', '10.26.0.0', '10.26.0.0/33', '10.26.0.0/016', 'a/16'],
  },
  'ipv4-range-or-cidr': {
    accepts: ['192.168.21.100-192.168.21.254', '10.0.0.5-10.0.0.5', '10.0.1.128/25'],
    rejects: ['10.0.0.20-10.0.0.10', '10.0.0.300-10.0.0.1', '10.0.0.1 - 10.0.0.2', '10.0.0.1-', '10.0.1.129/25', '10.0.0.1'],
  },
  'dns-name': {
    accepts: ['str08.net', 'mi.soli0222.com', 'a-b.c0.example'],
    rejects: ['localhost', 'Example.com', 'example.com.', '-a.example', 'a_b.example', '192.168.0.1', `${'a'.repeat(64)}.example`],
  },
  'dns-label': {
    accepts: ['kkg', 'minio-kkg-1', 'a'.repeat(63)],
    rejects: ['', 'KKG', 'a.b', '-a', 'a-', 'a_b', 'a'.repeat(64)],
  },
  'dns-subdomain': {
    accepts: ['oky-synology-01', 'nfs.client', 'default'],
    rejects: ['Nfs', 'nfs_client', '.nfs', 'nfs.'],
  },
  'project-name': {
    accepts: ['platform', 'pke-2', 'a'.repeat(58)],
    rejects: ['my.project', 'Platform', 'a'.repeat(59), '-platform', 'plat_form'],
  },
  host: {
    accepts: ['192.168.20.250', 'nas.example.com'],
    rejects: ['nas', '192.168.20.300', 'NAS.example.com'],
  },
  email: {
    accepts: ['contact@soli0222.com', 'first.last+tag@Example.COM'],
    rejects: ['contact', 'contact@', '@example.com', 'a..b@example.com', 'a@localhost', 'a b@example.com'],
  },
  'https-url': {
    accepts: ['https://acme-v02.api.letsencrypt.org/directory', 'https://kubernetes.default.svc', 'https://10.0.0.1:6443'],
    rejects: ['http://example.com', 'https://', 'example.com', 'https://user@example.com', 'https://exa mple.com'],
  },
  'git-url': {
    accepts: ['https://github.com/Soli0222/pke.git', 'ssh://git@github.com/o/r.git', 'git@github.com:o/r.git'],
    rejects: ['http://github.com/o/r.git', 'github.com/o/r', 'https://u:p@github.com/o/r.git', 'git@github.com://o/r', 'file:///srv/r.git'],
  },
  'exact-version': {
    accepts: ['1.2.3', 'v1.18.2', '0.0.18', '1.0.0-rc.1', '1.0.0+build.5', '2.0.0-beta.1+exp'],
    rejects: ['^1.2', '~1.2.3', '1.2', '1.x', '1.2.x', '*', 'latest', '>=1.2.3', '1.2.3 || 1.3.0', 'v01.2.3', '1.2.3-'],
  },
  regex: {
    accepts: ['^eth[0-9]+', 'enp.*', '^(eth|ens)[0-9]+$'],
    rejects: ['', '^eth[0-9+', '(eth'],
  },
  'label-key': {
    accepts: ['node-role.kubernetes.io/control-plane', 'zone', 'example.com/Rack_1'],
    rejects: ['', '/zone', 'example.com/', '-zone', 'Example.com/zone', `${'a'.repeat(64)}`],
  },
  'label-value': {
    accepts: ['', 'worker', 'Rack_1.a', 'a'.repeat(63)],
    rejects: ['-a', 'a-', 'a b', 'a/b', 'a'.repeat(64)],
  },
  'k8s-quantity': {
    accepts: ['250Gi', '4Ti', '1.5Ti', '500M', '1k'],
    rejects: ['0Gi', '250GB', '250 Gi', 'Gi', '-1Gi', '250gi', '1m'],
  },
  'iana-timezone': {
    accepts: ['Asia/Tokyo', 'Etc/UTC', 'UTC', 'America/Argentina/Buenos_Aires', 'Etc/GMT-9'],
    rejects: ['asia/tokyo', 'JST', 'Tokyo', 'Mars/Olympus', '+09:00'],
  },
  'relative-path': {
    accepts: ['dist', 'rendered/clusters', '.'],
    rejects: ['/dist', 'dist/', '../dist', 'a/./b', 'a b', ''],
  },
  'absolute-path': {
    accepts: ['/volume1/oky-synology-01', '/mnt/nfs/kubernetes/', '/'],
    rejects: ['volume1', '/a//b', '/a/../b', ''],
  },
  'git-revision': {
    accepts: ['main', 'release/1.2', 'v1.2.3', '0123abcd'],
    rejects: ['', 'a b', 'a..b', '-main', 'main/', 'main.lock', 'a:b', 'a~1'],
  },
  'kube-version': {
    accepts: ['1.33', '1.33.4', '1.9'],
    rejects: ['v1.33', '1', '2.0', '1.33.4-eks', '1.033', ' 1.33'],
  },
  'api-version': {
    accepts: ['v1', 'monitoring.coreos.com/v1', 'monitoring.coreos.com/v1/ServiceMonitor', 'policy/v1beta1/PodDisruptionBudget', 'v1/Pod'],
    rejects: ['monitoring.coreos.com', 'monitoring.coreos.com/1', 'Monitoring.coreos.com/v1', 'monitoring.coreos.com/v1/servicemonitor', 'a/v1/B/C'],
  },
  'vault-name': {
    accepts: ['Kubernetes', 'Home Lab', 'abcdefghijklmnopqrstuvwxyz'],
    rejects: ['', 'a/b', ' Kubernetes', 'Kubernetes '],
  },
};

/**
 * Rejected values an editor's pattern lets through: what a regular expression cannot
 * say well (host bits, the order of a range, whether a time zone exists). Synth still
 * rejects them.
 */
const LOOSER_IN_EDITORS: Partial<Record<FormatName, string[]>> = {
  'ipv4-cidr': ['10.26.0.1/16'],
  'ipv4-range-or-cidr': ['10.0.0.20-10.0.0.10', '10.0.1.129/25'],
  'iana-timezone': ['Mars/Olympus'],
  regex: ['^eth[0-9+', '(eth'],
};

describe('formats', () => {
  it('has accepted and rejected examples for every format', () => {
    expect(Object.keys(FORMAT_CASES).sort()).toStrictEqual(Object.keys(FORMATS).sort());
  });

  for (const [name, { accepts, rejects }] of Object.entries(FORMAT_CASES)) {
    const pattern = new RegExp(FORMAT_PATTERNS[name as FormatName], 'u');
    const looser = LOOSER_IN_EDITORS[name as FormatName] ?? [];

    it(`has a ${name} pattern that accepts every good value, as editors check it`, () => {
      expect(accepts.filter((value) => !pattern.test(value))).toStrictEqual([]);
    });

    it(`has a ${name} pattern that rejects every bad value but the ones only synth can tell`, () => {
      expect(rejects.filter((value) => pattern.test(value))).toStrictEqual(looser);
    });
  }

  for (const [name, { accepts, rejects }] of Object.entries(FORMAT_CASES)) {
    const format = FORMATS[name as FormatName];

    it(`accepts good ${name} values`, () => {
      expect(accepts.filter((value) => !format.validate(value))).toStrictEqual([]);
    });

    it(`rejects bad ${name} values`, () => {
      expect(rejects.filter((value) => format.validate(value))).toStrictEqual([]);
    });
  }
});
