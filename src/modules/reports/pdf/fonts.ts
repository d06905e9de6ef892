/** The report's fonts (DejaVu Sans), parsed once per process and shared by every document. */
export const FONT = 'Sans';
export const BOLD = 'Sans-Bold';
const FONT_FILES = {
  [FONT]: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  [BOLD]: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
};

/**
 * Parsed fonts, reused across documents: pdfkit accepts a fontkit font object in place of a file, and
 * parsing the two DejaVu files (1.4 MB) is the largest fixed cost of a render. Each document still makes
 * its own subset.
 */
const parsedFonts = new Map<string, PDFKit.Mixins.PDFFontSource>();

/**
 * pdfkit's per-font word layout cache (word → fontkit glyph run, in 1/1000 em; the same for every size),
 * shared across documents: fontkit's shaping (GSUB/GPOS lookups) of every word was the largest text cost,
 * and reports repeat most of their words. Valid because every document uses the same parsed font objects;
 * each document still makes its own subset from the glyph ids. Dropped when it grows past LAYOUT_CACHE_MAX.
 */
const layoutCaches = new Map<string, Record<string, unknown>>();
const LAYOUT_CACHE_MAX = 50_000;
let layoutCacheEntries = 0;

interface EmbeddedFontInternals {
  font?: { layout?: unknown };
  layoutCache?: Record<string, unknown>;
}

export function registerFonts(doc: PDFKit.PDFDocument): void {
  if (layoutCacheEntries > LAYOUT_CACHE_MAX) {
    layoutCaches.clear();
    layoutCacheEntries = 0;
  }
  for (const [name, file] of Object.entries(FONT_FILES)) {
    const cached = parsedFonts.get(name);
    doc.registerFont(name, cached ?? file);
    doc.font(name);
    const embedded = (doc as unknown as { _font?: EmbeddedFontInternals })._font;
    const parsed = embedded?.font;
    if (!cached && parsed && typeof parsed.layout === 'function')
      parsedFonts.set(name, parsed as unknown as PDFKit.Mixins.PDFFontSource);
    if (embedded?.layoutCache && parsedFonts.has(name)) {
      let shared = layoutCaches.get(name);
      if (!shared) layoutCaches.set(name, (shared = Object.create(null) as Record<string, unknown>));
      embedded.layoutCache = shared;
    }
  }
}

/** Called after a render: keeps the shared layout caches bounded. */
export function countLayoutCache(): void {
  layoutCacheEntries = 0;
  for (const c of layoutCaches.values()) layoutCacheEntries += Object.keys(c).length;
}
