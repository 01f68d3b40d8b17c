// Writes a brotli (.br) and a gzip (.gz) copy next to every compressible file of
// dist/assets/, so the server sends them as they are (src/imprompt/web/assets.py) and
// never compresses while a player waits. A copy that would not be smaller is not written.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const COMPRESSIBLE = /\.(js|mjs|css|svg|json|map|txt|wasm)$/;
const dir = new URL("../dist/assets/", import.meta.url).pathname;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

for (const file of readdirSync(dir).filter((f) => COMPRESSIBLE.test(f)).sort()) {
  const data = readFileSync(join(dir, file));
  const copies = {
    br: brotliCompressSync(data, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_MODE]: file.endsWith(".wasm") ? constants.BROTLI_MODE_GENERIC : constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      },
    }),
    gz: gzipSync(data, { level: 9 }),
  };
  const written = [];
  for (const [suffix, packed] of Object.entries(copies)) {
    if (packed.length < data.length) {
      writeFileSync(join(dir, `${file}.${suffix}`), packed);
      written.push(`${suffix} ${kb(packed.length)}`);
    }
  }
  console.log(`  ${file}: ${kb(data.length)} → ${written.join(", ") || "kept as is"}`);
}
