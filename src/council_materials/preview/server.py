"""``council preview``: a read-only web server on 127.0.0.1 that shows a meeting and follows every save.

Input: a meeting folder, a plugin manager, a port (0: a free one). Output: a Starlette app served by
uvicorn on the loopback address only, which answers GET (and HEAD) and nothing else:

- ``/``: the whole document (``page.index_html``) as laid out so far (the rest follows as events);
- ``/events``: server-sent events (sse-starlette), an ``update`` per change whose id is the snapshot's
  revision; a browser that (re)connects with ``Last-Event-ID`` or ``?since=`` gets what changed since;
- ``/fonts/regular``, ``/fonts/bold``: the two faces the pages are drawn with;
- ``/meeting/PATH`` and ``/cache/PATH``: pictures only (PNG, JPEG), and only regular files that
  resolve, links followed, inside the meeting folder or the picture cache; anything else is 404.

A request naming another host than the loopback one is refused (``TrustedHostMiddleware``: a web page
elsewhere cannot reach the preview by DNS rebinding), and pages carry a content security policy that
allows nothing from outside. The watcher (``watch.changed_paths``) runs in a thread: the first refresh
at once, one when the watch has begun (for what changed meanwhile), then one after every change; each
change is handed to the event loop with ``call_soon_threadsafe``.
"""
from __future__ import annotations

import asyncio
import contextlib
import secrets
import socket
import threading
import time
import webbrowser
from pathlib import Path
from typing import AsyncIterator, Awaitable, Callable, Iterator

import pluggy
from sse_starlette import EventSourceResponse
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

from ..errors import CouncilError
from ..layout.primitives import picture_type
from .page import index_html, update_message
from .session import PreviewSession, Snapshot

__all__ = ["HOST", "Notifier", "make_app", "resolve_inside", "serve"]

HOST = "127.0.0.1"
IDLE_MS = 100  # how often the watcher thread looks up when nothing changes (and whether to stop)


class Notifier:
    """Wakes the event streams (on the server's loop) when the session publishes a snapshot (any thread)."""

    def __init__(self) -> None:
        self.loop: asyncio.AbstractEventLoop | None = None
        self._waiters: set[asyncio.Event] = set()

    def notify(self, _: Snapshot | None = None) -> None:
        if self.loop is not None and not self.loop.is_closed():
            self.loop.call_soon_threadsafe(self._wake)

    def _wake(self) -> None:
        for waiter in self._waiters:
            waiter.set()

    @contextlib.contextmanager
    def waiter(self) -> Iterator[asyncio.Event]:
        event = asyncio.Event()
        self._waiters.add(event)
        try:
            yield event
        finally:
            self._waiters.discard(event)


def resolve_inside(root: Path, relative: str) -> tuple[Path, str] | None:
    """The picture ``relative`` names inside ``root`` and its media type: a regular PNG or JPEG file (by its
    content, whatever its name: ``layout.primitives.picture_type``) that resolves (links followed) inside
    ``root``; ``None`` for anything else (``..``, an absolute path, a link out, another kind of file)."""
    if not relative or "\x00" in relative:
        return None
    try:
        base = root.resolve(strict=True)
        resolved = (base / relative).resolve(strict=True)
    except (OSError, RuntimeError, ValueError):
        return None
    if not resolved.is_relative_to(base) or not resolved.is_file():
        return None
    try:
        with resolved.open("rb") as file:
            kind = picture_type(file.read(8))
    except OSError:
        return None
    return None if kind is None else (resolved, kind)


def make_app(session: PreviewSession, notifier: Notifier, *, on_start: Callable[[], None] | None = None,
             on_stop: Callable[[], None] | None = None) -> Starlette:
    """The preview's web app for ``session``; ``on_start``/``on_stop`` run when the server starts and stops."""
    not_found = PlainTextResponse("not found", status_code=404)
    boot = secrets.token_hex(4)
    fonts: dict[Path, bytes] = {}

    async def until(ready: Callable[[Snapshot], bool], timeout: float) -> None:
        deadline = time.monotonic() + timeout
        with notifier.waiter() as event:
            while not ready(session.snapshot) and time.monotonic() < deadline:
                event.clear()
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(event.wait(), max(deadline - time.monotonic(), 0.01))

    async def index(request: Request) -> Response:
        # At once, whatever is laid out yet: the browser loads the fonts while the rest is laid out, and
        # the event stream brings each part as it is ready.
        nonce = secrets.token_urlsafe(16)
        html = index_html(session.snapshot).replace("<script>", f'<script nonce="{nonce}">', 1)
        policy = (f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'unsafe-inline'; img-src 'self'; "
                  "font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
        return HTMLResponse(html, headers={"Content-Security-Policy": policy, "Cache-Control": "no-store",
                                           "Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff"})

    async def events(request: Request) -> Response:
        # An event's id is this server's boot and the revision; a browser that last heard another server
        # (the preview was restarted on the same port) gets everything again.
        asked = request.headers.get("last-event-id") or f"{boot}-{request.query_params.get('since', '0')}"
        heard_boot, _, heard = asked.partition("-")
        since = int(heard) if heard_boot == boot and heard.isdigit() else 0

        async def stream() -> AsyncIterator[dict[str, str]]:
            nonlocal since
            with notifier.waiter() as event:
                while True:
                    event.clear()
                    snapshot = session.snapshot
                    if snapshot.revision != since:
                        yield {"event": "update", "id": f"{boot}-{snapshot.revision}",
                               "data": update_message(snapshot, since)}
                        since = snapshot.revision
                        continue
                    await event.wait()

        return EventSourceResponse(stream(), ping=15, headers={"Cache-Control": "no-store"})

    async def font(request: Request) -> Response:
        face = request.path_params["face"]
        if session.font_file(face) is None:  # meeting.yaml could not be read at once: wait for the first reading
            await until(lambda snapshot: snapshot.revision > 0, 60)
        path = session.font_file(face)
        if path is None or not path.is_file():
            return not_found
        if path not in fonts:  # kept in memory: sent in one write, not in chunks through threads
            fonts[path] = path.read_bytes()
        return Response(fonts[path], media_type="font/ttf", headers={"Cache-Control": "max-age=86400"})

    def files(root: Callable[[], Path]) -> Callable[[Request], Awaitable[Response]]:
        async def picture(request: Request) -> Response:
            found = resolve_inside(root(), request.path_params["path"])
            if found is None:
                return not_found
            path, kind = found
            return FileResponse(path, media_type=kind,
                                headers={"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"})
        return picture

    async def no_icon(request: Request) -> Response:
        return Response(status_code=204)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        notifier.loop = asyncio.get_running_loop()
        if on_start is not None:
            on_start()
        try:
            yield
        finally:
            if on_stop is not None:
                on_stop()

    routes = [Route("/", index), Route("/events", events), Route("/fonts/{face}", font),
              Route("/favicon.ico", no_icon),
              Route("/meeting/{path:path}", files(lambda: session.meeting_dir)),
              Route("/cache/{path:path}", files(lambda: session.cache_dir))]
    hosts = [HOST, "localhost"]
    return Starlette(routes=routes, lifespan=lifespan,
                     middleware=[Middleware(TrustedHostMiddleware, allowed_hosts=hosts)])


def _refresh(session: PreviewSession, report: Callable[[str], None]) -> None:
    """Refresh the session; say what changed and how many problems the page shows."""
    started = time.monotonic()
    changed = session.refresh()
    if not changed:
        return
    snapshot = session.snapshot
    problems = len(snapshot.problems) + sum(len(p.problems) + len(p.marks) for p in snapshot.parts)
    shown = ", ".join(p.label for p in snapshot.parts if p.id in changed)
    report(f"updated {shown} in {time.monotonic() - started:.2f} s"
           + (f"; {problems} problem{'s' if problems != 1 else ''} shown in the page" if problems else ""))


def _watch(session: PreviewSession, stop: threading.Event, report: Callable[[str], None]) -> None:
    """Lay out everything at once, then again after every change until ``stop`` (and once when the watch has
    begun, for what changed while the first layout ran)."""
    from ..watch import changed_paths

    begun = False
    try:
        _refresh(session, report)
        for paths in changed_paths(session.meeting_dir, session.meeting_dir / "build", stop_event=stop,
                                   idle_ms=IDLE_MS):
            if paths or not begun:
                begun = True
                _refresh(session, report)
    except Exception as exc:  # the watch ended by a bug: say so, keep serving what is there
        report(f"internal error: the watch stopped: {type(exc).__name__}: {exc}")


def serve(meeting_dir: Path, pm: pluggy.PluginManager, *, port: int = 0, open_browser: bool = False,
          report: Callable[[str], None] = print) -> None:
    """Serve the preview of ``meeting_dir`` on 127.0.0.1:``port`` until interrupted (Ctrl-C)."""
    import uvicorn

    notifier = Notifier()
    session = PreviewSession(meeting_dir, pm, on_change=notifier.notify)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        listener.bind((HOST, port))
        listener.listen(128)  # connections wait in the backlog until the server accepts them
    except OSError as exc:
        listener.close()
        raise CouncilError(f"cannot listen on {HOST}:{port}: {exc.strerror or exc}") from None
    url = f"http://{HOST}:{listener.getsockname()[1]}/"
    stop = threading.Event()
    watcher = threading.Thread(target=_watch, args=(session, stop, report), name="council-preview-watch", daemon=True)

    def started() -> None:
        watcher.start()
        if open_browser:
            threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()

    app = make_app(session, notifier, on_start=started, on_stop=stop.set)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, timeout_graceful_shutdown=2))
    report(f"previewing {session.meeting_dir} at {url} (Ctrl-C to stop)")
    try:
        server.run(sockets=[listener])
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        watcher.join(timeout=5) if watcher.is_alive() else None
        listener.close()
