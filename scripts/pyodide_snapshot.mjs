// Makes the calculator's Pyodide memory snapshot at build time, under Node, with the pinned npm
// Pyodide: Python started, the calculator wheel unpacked and imported, then the whole interpreter
// memory written out (gzip). The browser worker restores it instead of starting Python from
// scratch, which is most of the calculator's start-up time. The snapshot holds no policy data:
// the rules bundle is still loaded in the browser, so a YAML edit does not change it.
//
//   node scripts/pyodide_snapshot.mjs <calculator.whl> <out.snapshot.gz>
//
// Uses Pyodide's snapshot options (_makeSnapshot / makeMemorySnapshot / _loadSnapshot), which
// Pyodide marks as private: they are tied to the exact Pyodide build (it checks the build id on
// restore), which package-lock.json pins. The worker falls back to a normal start if a restore fails.
import { readFileSync, writeFileSync, renameSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { loadPyodide } from "pyodide";

const [wheelPath, outPath] = process.argv.slice(2);
if (!wheelPath || !outPath) {
  console.error("usage: node scripts/pyodide_snapshot.mjs <calculator.whl> <out.snapshot.gz>");
  process.exit(2);
}
const pyodide = await loadPyodide({ _makeSnapshot: true, stdout: () => {}, stderr: (s) => console.error(s) });
pyodide.unpackArchive(new Uint8Array(readFileSync(wheelPath)), "wheel");
pyodide.pyimport("subsidy_calculator.browser");
const snapshot = pyodide.makeMemorySnapshot();
const tmp = outPath + ".tmp";
writeFileSync(tmp, gzipSync(snapshot, { level: 6 }));
renameSync(tmp, outPath);
console.error(`pyodide_snapshot: ${outPath} (${snapshot.length} bytes of memory)`);
