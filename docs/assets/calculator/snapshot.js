// The calculator worker's helper thread: reads this deployment's manifest, then gets Python's
// memory snapshot ready (scripts/pyodide_snapshot.mjs), while the worker itself prepares Pyodide's
// WebAssembly. The snapshot is downloaded as gzip and unpacked here; the unpacked copy is kept in
// Cache Storage, so a later visit skips the unpacking (the slowest part of a warm start).
// Message in: {manifest: URL}. Out, in order: {manifest} or {error, stage: "manifest"};
// then {bytes: ArrayBuffer (transferred), url} or {none: true} or {error, stage: "snapshot"}.
const CACHE = "calculator-snapshot"; // not site-/pyodide-: the service worker's clean-up leaves it alone

self.onmessage = async ({ data }) => {
  let manifest;
  try {
    const response = await fetch(data.manifest, { cache: "no-cache" });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    manifest = await response.json();
    self.postMessage({ manifest });
  } catch (err) {
    self.postMessage({ stage: "manifest", error: message(err) });
    return self.close();
  }
  try {
    if (!manifest.snapshot || typeof DecompressionStream !== "function") {
      self.postMessage({ none: true });
      return self.close();
    }
    const url = new URL(manifest.snapshot, data.manifest).href;
    const unpackedKey = url.replace(/\.gz$/, "");
    const cache = await caches.open(CACHE).catch(() => null); // none where storage is off
    const kept = cache && await cache.match(unpackedKey);
    if (kept) {
      const bytes = await kept.arrayBuffer();
      self.postMessage({ bytes, url }, [bytes]);
      return self.close();
    }
    const response = await fetch(url);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    // a host that sends it with Content-Encoding: gzip has had the browser unpack it already
    const unpacked = /gzip/i.test(response.headers.get("Content-Encoding") || "");
    const body = unpacked ? response : new Response(response.body.pipeThrough(new DecompressionStream("gzip")));
    const bytes = await body.arrayBuffer();
    const copy = cache ? new Response(bytes) : null; // copies the bytes before they are transferred
    self.postMessage({ bytes, url }, [bytes]);
    if (copy) {
      for (const old of await cache.keys()) await cache.delete(old);
      await cache.put(unpackedKey, copy);
    }
  } catch (err) {
    self.postMessage({ stage: "snapshot", error: message(err) });
  }
  self.close();
};

function message(err) {
  return String(err && err.message ? err.message : err).slice(0, 200);
}
