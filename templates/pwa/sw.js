// The service worker, rendered by config/pwa.py and served at /sw.js. It keeps the static files
// and the offline page, nothing else: pages, the API, messages, photos and every POST go to the
// network, and a page that cannot be reached shows the offline page. It shows the Web Push
// notices of the notifications app (the message's data: config/pwa.py).
"use strict";
{% autoescape off %}
const CACHE = {{ cache }};
const PRECACHE = {{ precache }};
const OFFLINE_URL = {{ offline_url }};
const STATIC_PREFIX = new URL({{ static_url }}, self.location.origin).href;
const ICON = {{ icon }};
const BADGE = {{ badge }};
{% endautoescape %}
self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cache.addAll(PRECACHE);
    // The page as a visitor sees it: nothing of a signed-in resident's is kept.
    await cache.add(new Request(OFFLINE_URL, {credentials: "omit"}));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.filter((name) => name !== CACHE).map((name) => caches.delete(name)));
    if (self.registration.navigationPreload) {
      await self.registration.navigationPreload.enable();
    }
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") {
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(page(event));
  } else if (request.url.startsWith(STATIC_PREFIX)) {
    event.respondWith(staticFile(event));
  }
  // Anything else (the API, photos, the chat's history...) is left to the browser.
});

// A page: always from the network; the offline page only when the network fails.
async function page(event) {
  try {
    return (await event.preloadResponse) || await fetch(event.request);
  } catch (error) {
    return (await caches.match(OFFLINE_URL, {ignoreVary: true})) || Response.error();
  }
}

// A static file: from the cache, else from the network and kept (on a server, every version of a
// file has its own name).
async function staticFile(event) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(event.request, {ignoreVary: true});
  if (cached) {
    return cached;
  }
  const response = await fetch(event.request);
  if (response.ok && response.type === "basic") {
    event.waitUntil(cache.put(event.request, response.clone()));
  }
  return response;
}

// An absolute URL on this site, or null (another site's address, not a string).
function siteUrl(value) {
  if (typeof value !== "string") {
    return null;
  }
  try {
    const url = new URL(value, self.location.origin);
    return url.origin === self.location.origin ? url.href : null;
  } catch (error) {
    return null;
  }
}

// The notice a push message asks for, or null when its data is missing or not ours.
function notice(data) {
  let message = null;
  try {
    message = data ? data.json() : null;
  } catch (error) {
    return null;
  }
  if (!message || typeof message.title !== "string" || !message.title) {
    return null;
  }
  const text = (value) => (typeof value === "string" ? value : "");
  const options = {
    body: text(message.body),
    tag: text(message.tag),
    renotify: Boolean(text(message.tag)),  // a second message in a conversation replaces the first and still alerts
    lang: text(message.lang),
    icon: ICON,
    badge: BADGE,
    data: {url: siteUrl(message.url) || siteUrl("/"), off_url: siteUrl(message.off_url)},
  };
  if (options.data.off_url && text(message.off_label)) {
    options.actions = [{action: "off", title: message.off_label}];
  }
  return {title: message.title, options: options};
}

self.addEventListener("push", (event) => {
  const shown = notice(event.data);
  if (shown) {
    event.waitUntil(self.registration.showNotification(shown.title, shown.options));
  }
});

self.addEventListener("notificationclick", (event) => {
  event.waitUntil(noticeClicked(event.notification, event.action));
});

// A click opens the notice's page: the window already showing it, else a window of the site
// taken there, else a new one. The "off" action turns these notices off instead.
async function noticeClicked(notification, action) {
  notification.close();
  const data = notification.data || {};
  if (action === "off") {
    return pushOff(data.off_url);
  }
  const url = siteUrl(data.url);
  if (!url) {
    return null;
  }
  const windows = await self.clients.matchAll({type: "window"});  // most recently focused first
  const showing = windows.find((client) => client.url === url);
  if (showing) {
    return showing.focus();
  }
  if (windows.length) {
    // Focus first, while the click still allows it; a window that may not be focused any more
    // is taken to the page all the same.
    const focused = windows[0].focus().catch(() => null);
    await windows[0].navigate(url);
    return focused;
  }
  return self.clients.openWindow(url);
}

// Tells the site (the signed token in the address is the permission: no cookies are sent) and
// ends this browser's subscription, so nothing more arrives even if the site cannot be reached.
async function pushOff(offUrl) {
  const url = siteUrl(offUrl);
  const subscription = await self.registration.pushManager.getSubscription();
  await Promise.allSettled([
    url ? fetch(url, {method: "POST", credentials: "omit"}) : null,
    subscription ? subscription.unsubscribe() : null,
  ]);
}
