import { SaxesParser } from 'saxes';

/**
 * Reads an export country file with a real XML parser (saxes, namespace-unaware like the layout)
 * into plain objects, so suites compare what an authority's tool would read, not bytes.
 */

interface Node {
  readonly name: string;
  readonly children: Node[];
  text: string;
}

export interface ParsedSignature {
  readonly submissionDate: string;
  readonly signatureIdentifier: string;
  readonly annexRevision: string;
  readonly groups: ReadonlyArray<{ name: string; properties: Record<string, string> }>;
}

export interface ParsedSupportForm {
  readonly forCountry: string;
  readonly initiativeData: Record<string, string>;
  readonly signatures: readonly ParsedSignature[];
}

function tree(xml: string): Node {
  const parser = new SaxesParser();
  const root: Node = { name: '#document', children: [], text: '' };
  const stack: Node[] = [root];
  parser.on('opentag', (tag) => {
    const node: Node = { name: tag.name, children: [], text: '' };
    stack.at(-1)?.children.push(node);
    stack.push(node);
  });
  parser.on('text', (t) => {
    const top = stack.at(-1);
    if (top) top.text += t;
  });
  parser.on('cdata', (t) => {
    const top = stack.at(-1);
    if (top) top.text += t;
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  parser.write(xml).close();
  return root;
}

function child(node: Node, name: string): Node {
  const found = node.children.find((c) => c.name === name);
  if (!found) throw new Error(`<${node.name}> has no <${name}>`);
  return found;
}

/** Parses a `supportForm` document; throws on malformed XML. */
export function parseSupportForm(xml: string | Uint8Array): ParsedSupportForm {
  const doc = tree(typeof xml === 'string' ? xml : Buffer.from(xml).toString('utf8'));
  const form = child(doc, 'supportForm');
  const data = child(form, 'initiativeData');
  return {
    forCountry: child(form, 'forCountry').text,
    initiativeData: Object.fromEntries(data.children.map((c) => [c.name, c.text])),
    signatures: child(form, 'signatures').children.map((s) => ({
      submissionDate: child(s, 'submissionDate').text,
      signatureIdentifier: child(s, 'signatureIdentifier').text,
      annexRevision: child(s, 'annexRevision').text,
      groups: child(child(s, 'signatoryInfo'), 'groups').children.map((g) => ({
        name: child(g, 'name').text,
        properties: Object.fromEntries(
          child(g, 'properties').children.map((p) => [child(p, 'key').text, child(p, 'value').text]),
        ),
      })),
    })),
  };
}
