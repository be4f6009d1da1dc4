import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { initWasm, Resvg } from '@resvg/resvg-wasm';
import satori from 'satori';
import { SHARE_IMAGE_HEIGHT, SHARE_IMAGE_WIDTH } from '../share-meta.ts';

/**
 * The share image of each language (1200×630 PNG), drawn while the site is built: the eyebrow
 * ("European citizens' initiative"), the initiative's title, the call to support it and the
 * site's host, on the site's blue. Satori lays the text out into SVG paths with Noto Sans (OFL,
 * from the `@fontsource/noto-sans` package: Latin, Latin Extended, Greek and Cyrillic cover the 24
 * languages) and resvg, compiled to WebAssembly, rasterises it: no native module, no download.
 */

/** Everything an image shows. Its file name is a hash of these, so a changed title is a new URL. */
export interface ShareImageSpec {
  readonly lang: string;
  readonly eyebrow: string;
  readonly title: string;
  /** The language of the title (English when the organisers gave none in `lang`). */
  readonly titleLang: string;
  readonly cta: string;
  readonly host: string;
}

/** Raise when the drawing changes, so every image gets a new URL (previews cache by URL). */
const DESIGN_VERSION = 1;

const BRAND = '#0b3a8c';
const PALE = '#dce5f7';
const FONT_SUBSETS = ['latin', 'latin-ext', 'greek', 'cyrillic'] as const;
const FONT_FAMILY = FONT_SUBSETS.map((subset) => `Noto Sans ${subset}`).join(', ');

/** The image's path on the site: `/share/{lang}-{hash}.png`. */
export function shareImagePath(spec: ShareImageSpec): string {
  const hash = createHash('sha256')
    .update(JSON.stringify([DESIGN_VERSION, spec]))
    .digest('hex')
    .slice(0, 12);
  return `/share/${spec.lang}-${hash}.png`;
}

const require = createRequire(import.meta.url);

type Font = { name: string; data: Buffer; weight: 400 | 700; style: 'normal' };
let fonts: Promise<Font[]> | undefined;
let wasm: Promise<void> | undefined;

function loadFonts(): Promise<Font[]> {
  fonts ??= Promise.all(
    FONT_SUBSETS.flatMap((subset) =>
      ([400, 700] as const).map(async (weight) => ({
        // One family name per subset: Satori falls back across families, not within one.
        name: `Noto Sans ${subset}`,
        data: await readFile(
          require.resolve(`@fontsource/noto-sans/files/noto-sans-${subset}-${weight}-normal.woff`),
        ),
        weight,
        style: 'normal' as const,
      })),
    ),
  );
  return fonts;
}

function loadRenderer(): Promise<void> {
  wasm ??= readFile(require.resolve('@resvg/resvg-wasm/index_bg.wasm')).then((bytes) => initWasm(bytes));
  return wasm;
}

/** A smaller type for longer titles, so up to 200 characters fit in at most six lines. */
function titleSize(title: string): number {
  const length = Array.from(title).length;
  if (length <= 35) return 76;
  if (length <= 60) return 66;
  if (length <= 100) return 56;
  if (length <= 150) return 48;
  return 42;
}

type Node = { type: string; props: { style?: Record<string, unknown>; children?: unknown; lang?: string } };
const box = (style: Record<string, unknown>, children?: unknown, lang?: string): Node => ({
  type: 'div',
  props: { style, children, ...(lang ? { lang } : {}) },
});

/** The drawing as Satori's element tree (plain objects: no JSX, no React). */
function drawing(spec: ShareImageSpec): Node {
  const ring = (size: number, top: number, right: number, opacity: number) =>
    box({
      position: 'absolute',
      top,
      right,
      width: size,
      height: size,
      borderRadius: size / 2,
      border: `3px solid rgba(255, 255, 255, ${opacity})`,
    });
  return box(
    {
      width: SHARE_IMAGE_WIDTH,
      height: SHARE_IMAGE_HEIGHT,
      display: 'flex',
      background: BRAND,
      color: '#ffffff',
      fontFamily: FONT_FAMILY,
      position: 'relative',
    },
    [
      ring(520, -220, -160, 0.12),
      ring(360, -140, -80, 0.1),
      box(
        {
          position: 'absolute',
          top: 0,
          right: 0,
          bottom: 0,
          left: 0,
          display: 'flex',
          flexDirection: 'column',
          justifyContent: 'space-between',
          padding: '64px 72px',
        },
        [
          box({ display: 'flex', alignItems: 'center', gap: 18 }, [
            box({ width: 14, height: 44, background: '#ffffff', borderRadius: 3 }),
            box({ fontSize: 30, fontWeight: 700, color: PALE, maxWidth: 900 }, spec.eyebrow),
          ]),
          box(
            {
              display: 'block',
              fontSize: titleSize(spec.title),
              fontWeight: 700,
              lineHeight: 1.18,
              lineClamp: 6,
              maxWidth: 1056,
            },
            spec.title,
            spec.titleLang,
          ),
          box({ display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: 32 }, [
            box(
              {
                display: 'flex',
                background: '#ffffff',
                color: BRAND,
                fontSize: 30,
                fontWeight: 700,
                padding: '14px 30px',
                borderRadius: 40,
                maxWidth: 700,
              },
              spec.cta,
            ),
            box({ fontSize: 28, color: PALE }, spec.host),
          ]),
        ],
      ),
    ],
  );
}

/** Draws one share image: a 1200×630 PNG. */
export async function renderShareImage(spec: ShareImageSpec): Promise<Uint8Array<ArrayBuffer>> {
  const [loaded] = await Promise.all([loadFonts(), loadRenderer()]);
  const svg = await satori(drawing(spec) as Parameters<typeof satori>[0], {
    width: SHARE_IMAGE_WIDTH,
    height: SHARE_IMAGE_HEIGHT,
    fonts: loaded,
  });
  const rendered = new Resvg(svg, { fitTo: { mode: 'original' } }).render();
  try {
    // A copy on an ordinary ArrayBuffer: the rendered image lives in WebAssembly memory until freed.
    return new Uint8Array(rendered.asPng());
  } finally {
    rendered.free();
  }
}
