import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { FORMATS, type FormatName } from '../../src/config/_formats';
import { compileEnvironmentSchema, DEFAULTS, editorSchema, environmentFileSchema, environmentFileValidator } from '../../src/config/schema';
import { EDITOR_SCHEMA_PATH, renderEditorSchema } from '../../src/config/write-editor-schema';

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
    const child =
      schema?.properties?.[key] ?? (typeof schema?.additionalProperties === 'object' ? schema.additionalProperties : undefined);
    return [{ pointer: `${pointer}/${key}`, schema: child }, ...keysWithSchemas(value, child, `${pointer}/${key}`)];
  });
}

describe('editor schema', () => {
  it('matches the committed environments/environment.schema.json (regenerate the file when this fails)', () => {
    expect(readFileSync(EDITOR_SCHEMA_PATH, 'utf8')).toBe(renderEditorSchema());
  });

  it('is a valid draft-07 schema', () => {
    const ajv = new Ajv({ strict: false, validateFormats: false });

    expect(ajv.validateSchema(editorSchema())).toBe(true);
    expect(editorSchema()).toMatchObject({ $schema: 'http://json-schema.org/draft-07/schema#', title: 'Environment' });
  });

  it('carries no ajv-only keyword such as nullable', () => {
    expect(renderEditorSchema()).not.toContain('nullable');
  });

  it('accepts both committed environment files, as an editor checks them', () => {
    const validate = new Ajv({ strict: false, validateFormats: false }).compile(editorSchema());

    for (const file of ['environments/kkg.yaml', 'environments/example.yaml']) {
      expect(validate(parse(readFileSync(file, 'utf8'))), file).toBe(true);
    }
  });

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
      DomainSettings: SCHEMA.properties?.domains,
      AcmeSettings: SCHEMA.properties?.acme,
      MinioSettings: SCHEMA.properties?.minio,
    };

    // THEN the schema has the same default for each
    expect(stated.length).toBeGreaterThanOrEqual(9);
    for (const { iface, field, value } of stated) {
      expect(schemaOf[iface]?.properties?.[field]?.default, `${iface}.${field}`).toStrictEqual(value);
    }
  });

  it('defaults to the Let\'s Encrypt production directory', () => {
    expect(DEFAULTS.acmeServer).toBe('https://acme-v02.api.letsencrypt.org/directory');
  });
});

describe('environmentFileValidator', () => {
  it('compiles from a schema that passes the JSON Schema meta-schema and strict mode (synth skips that check)', () => {
    expect(() => compileEnvironmentSchema({ checkSchema: true })).not.toThrow();
  });

  it('compiles the schema once and returns the same validator every time', () => {
    expect(environmentFileValidator()).toBe(environmentFileValidator());
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
  'ipv4': {
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
  'host': {
    accepts: ['192.168.20.250', 'nas.example.com'],
    rejects: ['nas', '192.168.20.300', 'NAS.example.com'],
  },
  'email': {
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
  'vault-name': {
    accepts: ['Kubernetes', 'Home Lab', 'abcdefghijklmnopqrstuvwxyz'],
    rejects: ['', 'a/b', ' Kubernetes', 'Kubernetes '],
  },
};

describe('formats', () => {
  it('has accepted and rejected examples for every format', () => {
    expect(Object.keys(FORMAT_CASES).sort()).toStrictEqual(Object.keys(FORMATS).sort());
  });

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
