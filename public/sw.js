// Hazard Lab's service worker: after the first visit the app works offline.
//
// Install: read index.html and keep a copy of every file it names (the hashed wasm, JS and
// CSS, the loader, the icon) and of the analyzer worker's files, so the next visit needs no
// network. Fetch: network first (a new release is picked up at once), the kept copy when the
// network is gone. Only this
// site's own GET requests are touched; nothing else is ever fetched.
const CACHE = "hazard-lab-v2";
const SCOPE = new URL("./", self.location.href);

async function keepAppFiles() {
  const cache = await caches.open(CACHE);
  const index = await fetch(SCOPE, { cache: "no-cache" });
  if (!index.ok) return;
  const html = await index.clone().text();
  await cache.put(SCOPE, index);
  // The analyzer's worker files have fixed names (the page starts the loader by name).
  const names = new Set(
    ["hazard-lab-analyzer_loader.js", "hazard-lab-analyzer.js", "hazard-lab-analyzer_bg.wasm"].map(
      (n) => new URL(n, SCOPE).href,
    ),
  );
  for (const m of html.matchAll(/(?:href|src|data-js|data-wasm)="([^"]+)"/g)) {
    const url = new URL(m[1], SCOPE);
    if (url.origin === SCOPE.origin) names.add(url.href);
  }
  await Promise.all(
    [...names].map(async (url) => {
      const res = await fetch(url, { cache: "no-cache" });
      if (res.ok) await cache.put(url, res);
    }),
  );
}

self.addEventListener("install", (event) => {
  event.waitUntil(keepAppFiles().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  if (req.method !== "GET" || new URL(req.url).origin !== SCOPE.origin) return;
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      try {
        const res = await fetch(req);
        if (res.ok && res.type === "basic") await cache.put(req, res.clone());
        return res;
      } catch (err) {
        // A page opened with ?scenario=… or #s=… is the same index.html.
        const hit =
          (await cache.match(req)) ||
          (req.mode === "navigate" ? await cache.match(SCOPE) : undefined);
        if (hit) return hit;
        throw err;
      }
    })(),
  );
});
