// Python's memory snapshot (made in this browser after a first ordinary start, see pyodide_start.js)
// kept in Cache Storage for later visits (ARCHITECTURE.md, D4). A snapshot is the whole WebAssembly
// memory, much of it pages of zeros: it is kept without them, as
//   "PYSNAP1\n", u32 length of the memory, u32 number of runs, runs [u32 offset, u32 length]...,
//   then the bytes of each run in order (all numbers little-endian),
// which reads back at once, where a compressed copy would be inflated on every later visit.
// The key names the Pyodide version, standard library, calculator wheel and rules the snapshot was
// made with; the cache (named in manifest.json, "snapshot_cache") holds one snapshot only, so a new
// deployment's first one replaces the old.
const MAGIC = new TextEncoder().encode("PYSNAP1\n");
const PAGE = 4096;

/** The snapshot's bytes in the kept form. */
export function pack(memory) {
  if (memory.byteOffset % 4) memory = memory.slice();
  const words = new Uint32Array(memory.buffer, memory.byteOffset, memory.byteLength >>> 2);
  const runs = [];
  const perPage = PAGE / 4;
  for (let page = 0; page * PAGE < memory.byteLength; page++) {
    let used = page * PAGE + PAGE > memory.byteLength; // a partial last page is kept as it is
    for (let i = page * perPage; !used && i < (page + 1) * perPage; i++) used = words[i] !== 0;
    if (!used) continue;
    const last = runs[runs.length - 1];
    const length = Math.min(PAGE, memory.byteLength - page * PAGE);
    if (last && last[0] + last[1] === page * PAGE) last[1] += length;
    else runs.push([page * PAGE, length]);
  }
  const head = MAGIC.length + 8 + runs.length * 8;
  const out = new Uint8Array(head + runs.reduce((sum, [, length]) => sum + length, 0));
  out.set(MAGIC);
  const view = new DataView(out.buffer);
  view.setUint32(MAGIC.length, memory.byteLength, true);
  view.setUint32(MAGIC.length + 4, runs.length, true);
  let at = head;
  runs.forEach(([offset, length], i) => {
    view.setUint32(MAGIC.length + 8 + i * 8, offset, true);
    view.setUint32(MAGIC.length + 12 + i * 8, length, true);
    out.set(memory.subarray(offset, offset + length), at);
    at += length;
  });
  return out;
}

/** The memory back from the kept form; throws on anything else. */
export function unpack(kept) {
  const bytes = new Uint8Array(kept);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < MAGIC.length + 8 || MAGIC.some((b, i) => bytes[i] !== b)) throw new Error("not a kept snapshot");
  const size = view.getUint32(MAGIC.length, true);
  const count = view.getUint32(MAGIC.length + 4, true);
  let at = MAGIC.length + 8 + count * 8;
  if (at > bytes.length) throw new Error("kept snapshot cut short");
  const memory = new Uint8Array(size);
  for (let i = 0; i < count; i++) {
    const offset = view.getUint32(MAGIC.length + 8 + i * 8, true);
    const length = view.getUint32(MAGIC.length + 12 + i * 8, true);
    if (offset + length > size || at + length > bytes.length) throw new Error("kept snapshot cut short");
    memory.set(bytes.subarray(at, at + length), offset);
    at += length;
  }
  if (at !== bytes.length) throw new Error("kept snapshot has extra bytes");
  return memory;
}

/**
 * The snapshot kept in the cache named `cacheName`, looked up before the key is known so that
 * reading it overlaps the rest of the start: resolves to null (none, or no Cache Storage) or
 * {key, bytes}, bytes a promise of the memory that rejects when the kept copy is unusable.
 */
export async function keptSnapshot(cacheName) {
  try {
    const cache = await caches.open(cacheName);
    const [request] = await cache.keys();
    const response = request && await cache.match(request);
    if (!response) return null;
    const bytes = response.arrayBuffer().then(unpack);
    bytes.catch(() => {});
    return { key: request.url, bytes };
  } catch {
    return null;
  }
}

/** Keeps `memory` under `key` as the only snapshot in the cache named `cacheName`; false when it
 * could not (no room, no storage). */
export async function keepSnapshot(cacheName, key, memory) {
  try {
    const body = pack(memory);
    const cache = await caches.open(cacheName);
    for (const old of await cache.keys()) await cache.delete(old);
    await cache.put(key, new Response(body, { headers: { "Content-Type": "application/octet-stream" } }));
    return true;
  } catch {
    return false;
  }
}
