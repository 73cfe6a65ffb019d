import { describe, expect, it } from 'vitest';
import { components } from '../../src/platform/index';
import { renderEnvironments, toYaml } from '../../src/synth/cluster-files';
import { validateFiles } from '../../src/validate/validate';
import { environments, inventories, sources } from './_helpers';

/** What synth renders for the real clusters: every file as text, and every manifest and values file as its document. */
function renderedBothWays(): { texts: Map<string, string>; documents: Map<string, object> } {
  const documents = new Map<string, object>();
  const texts = renderEnvironments(environments, components, { inventories, documents });
  return { texts, documents };
}

/** The findings of both forms, as validate reports them (the parse cache kept in memory). */
function findingsOf(texts: Map<string, string>, documents: Map<string, object>): { fromText: unknown[]; fromDocuments: unknown[] } {
  const options = { ...sources, shownDir: 'dist', environments, inventories, cacheParsed: false };
  return { fromText: validateFiles(texts, options), fromDocuments: validateFiles(documents, options) };
}

/** The same change to a file in both forms. */
function change(texts: Map<string, string>, documents: Map<string, object>, path: string, edit: (document: Record<string, unknown>) => void): void {
  const document = structuredClone(documents.get(path)) as Record<string, unknown>;
  edit(document);
  documents.set(path, document);
  const header = (texts.get(path) as string).split('\n')[0];
  texts.set(path, `${header}\n${toYaml(document)}`);
}

describe('validating documents instead of their text (what render checks before synth writes)', () => {
  it('gives every manifest and values file, and finds nothing in the real clusters, as the text does', () => {
    const { texts, documents } = renderedBothWays();

    expect([...documents.keys()].sort()).toEqual([...texts.keys()].filter((path) => path.endsWith('.yaml')).sort());
    expect(findingsOf(texts, documents)).toEqual({ fromText: [], fromDocuments: [] });
  });

  it('finds the same schema and policy problems, at the same files and paths, as in the text', () => {
    // GIVEN an unknown field in a supporting manifest, and a child Application moved to a project that does not exist
    const { texts, documents } = renderedBothWays();
    const manifest = [...documents.keys()].find((path) => /^kkg\/cert-manager\/.+\.yaml$/.test(path)) as string;
    change(texts, documents, manifest, (document) => {
      (document.spec as Record<string, unknown>).bogus = 1;
    });
    change(texts, documents, 'kkg/grafana.yaml', (document) => {
      (document.spec as Record<string, unknown>).project = 'nowhere';
    });

    // WHEN both forms are validated
    const { fromText, fromDocuments } = findingsOf(texts, documents);

    // THEN the findings are the same, and they are there
    expect(fromDocuments).toEqual(fromText);
    expect(fromText).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ rule: 'schema', file: `dist/${manifest}`, path: '/spec/bogus' }),
        expect.objectContaining({ file: 'dist/kkg/grafana.yaml', rule: 'app-project' }),
      ]),
    );
  });
});
