"""``council preview``: the meeting's pages in the browser, updated on every save.

``session`` lays out and draws (``render.html``) what changed and places every problem; ``problems``
says where each problem shows; ``page`` writes the markup; ``server`` serves it on 127.0.0.1 with
server-sent events (Starlette, uvicorn, sse-starlette). Nothing here is imported by a build.
"""
