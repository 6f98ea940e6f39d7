// council preview: apply each update the server pushes (server-sent events) without reloading.
// Only pages whose key changed are replaced; the page at the top of the window stays where it is.
(() => {
  "use strict";
  const root = document.documentElement;
  let revision = Number(root.dataset.revision || 0);

  function element(html) {
    const template = document.createElement("template");
    template.innerHTML = html;
    return template.content.firstElementChild;
  }

  function anchor() {  // the first page (or part heading) still in view, and where its top is
    for (const el of document.querySelectorAll(".part-head, .sheet-wrap")) {
      const box = el.getBoundingClientRect();
      if (box.bottom > 0) return { id: el.id || el.parentElement.id, head: !el.id, top: box.top };
    }
    return null;
  }

  function restore(mark) {
    if (!mark) return;
    const found = document.getElementById(mark.id);
    if (!found) return;
    const el = mark.head ? found.querySelector(".part-head") || found : found;
    const delta = el.getBoundingClientRect().top - mark.top;
    if (Math.abs(delta) >= 0.5) window.scrollBy(0, delta);
  }

  function section(id) {
    const made = document.createElement("section");
    made.className = "part";
    made.id = "part-" + id;
    made.dataset.part = id;
    made.innerHTML = '<header class="part-head"></header><div class="pages"></div>';
    return made;
  }

  function applyPart(part, el) {
    el.className = part.cls;
    el.querySelector(".part-head").replaceWith(element(part.head));
    const box = el.querySelector(".pages");
    part.pages.forEach(([id, key, html], index) => {
      const current = box.children[index];
      if (current && current.id === id && current.dataset.key === key) return;
      const fresh = element(html);
      fresh.dataset.key = key;
      if (current) current.replaceWith(fresh); else box.appendChild(fresh);
    });
    while (box.children.length > part.pages.length) box.lastElementChild.remove();
  }

  function apply(message) {
    if (root.dataset.fonts && message.fonts && message.fonts !== root.dataset.fonts) {
      location.reload();  // the theme names other font files: load them
      return;
    }
    root.dataset.fonts = message.fonts || root.dataset.fonts;
    const mark = anchor();
    document.getElementById("toc").replaceWith(element(message.toc));
    document.getElementById("banner").replaceWith(element(message.banner));
    const parts = document.getElementById("parts");
    const existing = new Map([...parts.children].map((el) => [el.dataset.part, el]));
    message.order.forEach((id, index) => {
      const el = existing.get(id) || section(id);
      if (parts.children[index] !== el) parts.insertBefore(el, parts.children[index] || null);
    });
    for (const [id, el] of existing) if (!message.order.includes(id)) el.remove();
    for (const part of message.parts) applyPart(part, document.getElementById("part-" + part.id));
    restore(mark);
    revision = message.revision;
    requestAnimationFrame(() => {  // shown: tests and the benchmark read these
      root.dataset.revision = String(revision);
      window.councilUpdatedAt = Date.now();
      status("");
    });
  }

  function status(text, lost) {
    const el = document.getElementById("status");
    if (!el) return;
    el.textContent = text || "保存するたびに更新されます（rev. " + revision + "）";
    el.className = lost ? "lost" : "";
  }

  const events = new EventSource("/events?since=" + revision);
  events.addEventListener("update", (event) => apply(JSON.parse(event.data)));
  events.addEventListener("open", () => status(""));
  events.addEventListener("error", () => status("サーバーとの接続が切れました。再接続を試みています…", true));
  status("");
})();
