// 民情直通车's service worker: keeps the app shell (page, script, wasm, styles, icons) of one build so the app opens
// with no network after one online visit, and a repeat visit downloads nothing but the API's answers. API calls always
// go to the network (the app keeps its own outbox). A new build installs beside the running one and takes over only
// when the page asks (the update prompt in index.html), so a page never mixes files of two builds.
// `cargo xtask dist` writes the build's content hash below.
const BUILD = '__MINQING_BUILD__';
const PREFIX = 'minqing-shell-';
const CACHE = PREFIX + BUILD;
const SHELL = [
  '/index.html',
  '/frontend.js',
  '/frontend_bg.wasm',
  '/style.css',
  '/manifest.webmanifest',
  '/icons/icon.svg',
  '/icons/icon-192.png',
  '/icons/icon-512.png',
];

self.addEventListener('install', (event) => {
  // `cache: 'no-cache'` revalidates each file with the server (ETag → 304), so the shell is the server's current files,
  // all of them or none, without downloading again what the page has just loaded.
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(SHELL.map((url) => new Request(url, { cache: 'no-cache' })))),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith(PREFIX) && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') {
    self.skipWaiting();
  }
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') {
    return;
  }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/') || url.pathname === '/sw.js') {
    return;
  }
  if (url.pathname.startsWith('/r/') || url.pathname.startsWith('/resident')) {
    // A resident's link on a staff member's phone: the residents' own small app, from the network.
    return;
  }
  if (request.mode === 'navigate') {
    // Every route of the app is the same page: the shell's, at once, network or not.
    event.respondWith(
      caches.open(CACHE).then((cache) =>
        cache.match('/index.html').then((hit) => hit || fetch(request)),
      ),
    );
    return;
  }
  event.respondWith(
    caches.open(CACHE).then((cache) => cache.match(request, { ignoreSearch: true }).then((hit) => hit || fetch(request))),
  );
});
