// The calculator worker's helper thread: keeps Python's memory snapshot (made in this browser after a
// first ordinary start, see pyodide_start.js) in Cache Storage, gzip-compressed (about 30 MB of
// memory kept as a few MB), and reads it back on later visits, so the worker itself stays free.
// Messages in: {get: key} -> {bytes: ArrayBuffer (transferred)} or {none: true};
//              {put: key, bytes: ArrayBuffer} -> compressed and kept as the only entry, then
//              {stored: true} (also when it could not be kept).
// The key names the Pyodide version, standard library and calculator wheel the snapshot was made
// with; a new deployment's key finds nothing, and its first snapshot replaces the old one.
const CACHE = "calculator-snapshot"; // not site-/pyodide-: the service worker's clean-up leaves it alone

self.onmessage = async ({ data }) => {
  if (data && data.get) {
    try {
      const cache = await caches.open(CACHE);
      const kept = await cache.match(data.get);
      if (!kept || typeof DecompressionStream !== "function") throw new Error("none");
      const bytes = await new Response(kept.body.pipeThrough(new DecompressionStream("gzip"))).arrayBuffer();
      self.postMessage({ bytes }, [bytes]);
    } catch {
      self.postMessage({ none: true });
    }
  } else if (data && data.put && data.bytes) {
    try {
      if (typeof CompressionStream !== "function") return;
      const packed = new Response(new Blob([data.bytes]).stream().pipeThrough(new CompressionStream("gzip")));
      const body = await packed.blob();
      const cache = await caches.open(CACHE);
      for (const old of await cache.keys()) await cache.delete(old);
      await cache.put(data.put, new Response(body, { headers: { "Content-Type": "application/octet-stream" } }));
    } catch {
      // no room or no storage: later visits start the ordinary way
    } finally {
      self.postMessage({ stored: true });
    }
  }
};
