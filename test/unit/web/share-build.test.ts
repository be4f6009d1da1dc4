import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { demoInitiative } from '@ocs/functions/local/demo-initiative';
import { describe, expect, it } from 'vitest';
import { readInitiativeSource } from '../../../web/src/lib/server/build-initiative.ts';
import { parseBuildSettings } from '../../../web/src/lib/server/build-settings.ts';
import {
  renderShareImage,
  type ShareImageSpec,
  shareImagePath,
} from '../../../web/src/lib/server/share-image.ts';

/**
 * What the site's build knows for link previews: its public origin and the initiative's texts
 * (OCS_SITE_ORIGIN, OCS_INITIATIVE_SOURCE), and the share images it draws.
 */

const REPO = join(import.meta.dirname, '../../..');
const EXAMPLE = join(REPO, 'infra/config/initiative.example.json');

describe('parseBuildSettings', () => {
  it('defaults to the local server on PORT (8080 when unset or 0) and the demo initiative', () => {
    expect(parseBuildSettings({}, '/x')).toEqual({
      siteOrigin: 'http://localhost:8080',
      initiativeSource: { kind: 'demo' },
    });
    expect(parseBuildSettings({ PORT: '8214' }, '/x').siteOrigin).toBe('http://localhost:8214');
    expect(parseBuildSettings({ PORT: '0' }, '/x').siteOrigin).toBe('http://localhost:8080');
    expect(parseBuildSettings({ OCS_SITE_ORIGIN: '  ', OCS_INITIATIVE_SOURCE: '' }, '/x')).toEqual(
      parseBuildSettings({}, '/x'),
    );
  });

  it('takes the public origin, with or without a final slash', () => {
    expect(parseBuildSettings({ OCS_SITE_ORIGIN: 'https://sign.example.eu/' }, '/x').siteOrigin).toBe(
      'https://sign.example.eu',
    );
    expect(parseBuildSettings({ OCS_SITE_ORIGIN: 'HTTPS://Sign.Example.EU' }, '/x').siteOrigin).toBe(
      'https://sign.example.eu',
    );
  });

  it.each([
    'sign.example.eu',
    'ftp://sign.example.eu',
    'https://sign.example.eu/eci/',
    'https://sign.example.eu/?x=1',
    'https://user@sign.example.eu',
  ])('refuses %s as an origin, naming the variable', (value) => {
    expect(() => parseBuildSettings({ OCS_SITE_ORIGIN: value }, '/x')).toThrow(/OCS_SITE_ORIGIN/);
  });

  it('refuses a bad PORT', () => {
    expect(() => parseBuildSettings({ PORT: 'http' }, '/x')).toThrow(/PORT/);
  });

  it('reads the initiative source: a URL, an absolute path, a path from where npm was started', () => {
    expect(
      parseBuildSettings({ OCS_INITIATIVE_SOURCE: 'https://sign.example.eu/api/initiative' }, '/x')
        .initiativeSource,
    ).toEqual({ kind: 'url', url: 'https://sign.example.eu/api/initiative' });
    expect(parseBuildSettings({ OCS_INITIATIVE_SOURCE: '/etc/eci.json' }, '/x').initiativeSource).toEqual({
      kind: 'file',
      path: '/etc/eci.json',
    });
    expect(
      parseBuildSettings({ OCS_INITIATIVE_SOURCE: 'infra/config/mine.json', INIT_CWD: '/repo' }, '/repo/web')
        .initiativeSource,
    ).toEqual({ kind: 'file', path: '/repo/infra/config/mine.json' });
    expect(parseBuildSettings({ OCS_INITIATIVE_SOURCE: 'mine.json' }, '/repo/web').initiativeSource).toEqual({
      kind: 'file',
      path: '/repo/web/mine.json',
    });
  });
});

describe('readInitiativeSource', () => {
  it('reads the demo initiative that npm start seeds', async () => {
    const demo = demoInitiative('demo-initiative', new Date());
    const read = await readInitiativeSource({ kind: 'demo' });
    expect(read.content.en?.title).toBe(demo.content.en?.title);
    expect(read.content.de?.objectives).toBe(demo.content.de?.objectives);
  });

  it("reads the operator's initiative file", async () => {
    const read = await readInitiativeSource({ kind: 'file', path: EXAMPLE });
    expect(read.content.en?.title).toBe('Demonstration initiative');
    expect(read.content.fr?.title).toBe('Initiative de démonstration');
  });

  it('reads a saved or live answer of GET /api/initiative', async () => {
    const answer = {
      registrationNumber: 'ECI(2026)000001',
      content: { en: { title: 'Edited title', objectives: 'Edited objectives.' } },
      collection: { status: 'open', start: '2026-01-01', end: '2026-12-31' },
    };
    const requested: string[] = [];
    const fetchFn = (async (input: string | URL | Request) => {
      requested.push(String(input));
      return new Response(JSON.stringify(answer), { headers: { 'content-type': 'application/json' } });
    }) as typeof fetch;
    const read = await readInitiativeSource(
      { kind: 'url', url: 'https://sign.example.eu/api/initiative' },
      fetchFn,
    );
    expect(read.content.en?.title).toBe('Edited title');
    expect(requested).toEqual(['https://sign.example.eu/api/initiative']);
  });

  it('names the problem of an unusable source', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ocs-share-'));
    const noEnglish = join(dir, 'no-english.json');
    writeFileSync(noEnglish, JSON.stringify({ content: { de: { title: 'T', objectives: 'O' } } }));
    await expect(readInitiativeSource({ kind: 'file', path: noEnglish })).rejects.toThrow(/content\.en/);

    const markup = join(dir, 'markup.json');
    writeFileSync(markup, JSON.stringify({ content: { en: { title: '<script>', objectives: 'O' } } }));
    await expect(readInitiativeSource({ kind: 'file', path: markup })).rejects.toThrow(/content\.en\.title/);

    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{');
    await expect(readInitiativeSource({ kind: 'file', path: broken })).rejects.toThrow(/not valid JSON/);

    await expect(readInitiativeSource({ kind: 'file', path: join(dir, 'missing.json') })).rejects.toThrow(
      /cannot read .*missing\.json \(ENOENT\)/,
    );

    const failing = (async () => new Response('no', { status: 503 })) as unknown as typeof fetch;
    await expect(
      readInitiativeSource({ kind: 'url', url: 'https://sign.example.eu/api/initiative' }, failing),
    ).rejects.toThrow(/answered 503/);
  });
});

/** Width, height, bit depth and colour type from a PNG's IHDR chunk; throws if it is no PNG. */
function pngHeader(png: Uint8Array): { width: number; height: number } {
  const bytes = Buffer.from(png);
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(bytes.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** The decompressed pixel rows of a PNG (enough to compare two images' pixels). */
function pixels(png: Uint8Array): Buffer {
  const bytes = Buffer.from(png);
  const chunks: Buffer[] = [];
  for (let at = 8; at < bytes.length; ) {
    const length = bytes.readUInt32BE(at);
    if (bytes.subarray(at + 4, at + 8).toString('latin1') === 'IDAT') {
      chunks.push(bytes.subarray(at + 8, at + 8 + length));
    }
    at += 12 + length;
  }
  return inflateSync(Buffer.concat(chunks));
}

describe('share images', () => {
  const spec: ShareImageSpec = {
    lang: 'bg',
    eyebrow: 'Европейска гражданска инициатива',
    title: 'Чисти реки за Европа',
    titleLang: 'bg',
    cta: 'Подкрепете тази инициатива',
    host: 'sign.example.eu',
  };

  it('are named by language and a hash of what they show', () => {
    expect(shareImagePath(spec)).toMatch(/^\/share\/bg-[0-9a-f]{12}\.png$/);
    expect(shareImagePath({ ...spec })).toBe(shareImagePath(spec));
    expect(shareImagePath({ ...spec, title: 'Чисти реки' })).not.toBe(shareImagePath(spec));
    expect(shareImagePath({ ...spec, host: 'other.example.eu' })).not.toBe(shareImagePath(spec));
  });

  it('are 1200×630 PNGs, the same picture for the same input', async () => {
    const image = await renderShareImage(spec);
    expect(pngHeader(image)).toEqual({ width: 1200, height: 630 });
    expect(pixels(await renderShareImage({ ...spec })).equals(pixels(image))).toBe(true);
  }, 30_000);

  // Two letters of a script the fonts lack would both be drawn as the same blank or box.
  it.each([
    ['Latin', 'A', 'B'],
    ['Latin Extended (Maltese, Romanian)', 'ħ', 'ț'],
    ['Greek', 'Ω', 'Ψ'],
    ['Cyrillic', 'Ж', 'Щ'],
  ])(
    'draw the letters of %s',
    async (_script, one, other) => {
      const first = await renderShareImage({ ...spec, title: one });
      const second = await renderShareImage({ ...spec, title: other });
      expect(pixels(first).equals(pixels(second))).toBe(false);
    },
    30_000,
  );
});
