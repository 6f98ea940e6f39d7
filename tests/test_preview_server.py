"""`council preview` as a server: loopback only, read-only, nothing outside the meeting folder and the
picture cache (`..`, encoded `%2e%2e`, links, absolute paths), events for each change, Ctrl-C to stop."""
from __future__ import annotations

import http.client
import json
import os
import socket
import sys
import time
from pathlib import Path
from typing import Iterator

import pytest
from click.testing import CliRunner
from PIL import Image

from council_materials.cache import cache_root
from council_materials.cli import make_cli
from council_materials.preview.server import resolve_inside

from browser import Preview
from meetings import PLAN, write_meeting

SECRET = b"\x89PNG secret outside the meeting"


def _get(port: int, target: str, method: str = "GET", host: str | None = None) -> tuple[int, dict, bytes]:
    """A request with ``target`` sent exactly as written (no client-side normalising of `..`)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
    connection.putheader("Host", host or f"127.0.0.1:{port}")
    connection.endheaders()
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, dict(response.getheaders()), body


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Preview, Path]]:
    tmp = tmp_path_factory.mktemp("served")
    root = write_meeting(tmp)
    outside = tmp / "outside"
    outside.mkdir()
    (outside / "secret.png").write_bytes(SECRET)
    (root / "images").mkdir()
    Image.new("RGB", (4, 3), "red").save(root / "images" / "ok.png")
    (root / "images" / "link-in.png").symlink_to(root / "images" / "ok.png")
    (root / "images" / "link-out.png").symlink_to(outside / "secret.png")
    (root / "images" / "dir-out").symlink_to(outside)
    pictures = cache_root() / "pictures"
    pictures.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (2, 2), "blue").save(pictures / "cached-test.png")
    (pictures.parent / "secret-beside-pictures.png").write_bytes(SECRET)
    with Preview(root) as preview:
        yield preview, root


@pytest.mark.parametrize("target", [
    "/meeting/../outside/secret.png", "/meeting/%2e%2e/outside/secret.png", "/meeting/%2E%2E/outside/secret.png",
    "/meeting/..%2Foutside%2Fsecret.png", "/meeting/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc/passwd",
    "/meeting/images/../../outside/secret.png", "/meeting/images/link-out.png", "/meeting/images/dir-out/secret.png",
    "/meeting//etc/passwd", "/meeting/%2Fetc%2Fpasswd", f"/meeting/{'%2F' if os.sep == '/' else ''}tmp",
    "/meeting/meeting.yaml", "/meeting/plan.yaml", "/meeting/images", "/meeting/", "/meeting/images/ok.png%00.yaml",
    "/cache/../secret-beside-pictures.png", "/cache/%2e%2e/secret-beside-pictures.png", "/cache//etc/passwd",
    "/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/etc/passwd", "/fonts/../../../etc/passwd",
    "/fonts/%2e%2e%2f%2e%2e%2fmeeting.yaml", "/fonts/italic",
])
def test_nothing_outside_the_meeting_folder_and_the_cache_is_served(served, target: str) -> None:
    preview, _ = served
    status, _, body = _get(preview.port, target)
    assert status in (400, 404) and b"secret" not in body and b"root:" not in body and b"council" not in body


@pytest.mark.parametrize("target, kind", [("/meeting/images/ok.png", "image/png"),
                                          ("/meeting/images/link-in.png", "image/png"),
                                          ("/meeting/images/%6Fk.png", "image/png"),
                                          ("/cache/cached-test.png", "image/png"),
                                          ("/fonts/regular", "font/ttf"), ("/fonts/bold", "font/ttf")])
def test_pictures_inside_and_the_fonts_are_served(served, target: str, kind: str) -> None:
    preview, root = served
    status, headers, body = _get(preview.port, target)
    assert status == 200 and headers["content-type"] == kind and len(body) > 50
    if target.startswith("/meeting/"):
        assert body == (root / "images" / "ok.png").read_bytes()


def test_the_page_allows_nothing_from_elsewhere_and_only_reading(served) -> None:
    preview, _ = served
    status, headers, body = _get(preview.port, "/")
    policy = headers["content-security-policy"]
    assert status == 200 and "default-src 'none'" in policy and "connect-src 'self'" in policy
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'<script nonce="{nonce}">'.encode() in body and body.count(b"<script") == 1
    assert _get(preview.port, "/", "POST")[0] == 405 and _get(preview.port, "/meeting/images/ok.png", "PUT")[0] == 405
    assert _get(preview.port, "/", host="evil.example")[0] == 400  # DNS rebinding: another name is refused
    assert _get(preview.port, "/", host=f"localhost:{preview.port}")[0] == 200


def test_it_listens_on_the_loopback_address_only(served) -> None:
    preview, _ = served
    listening = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for row in Path(table).read_text().splitlines()[1:]:
            local, state = row.split()[1], row.split()[3]
            if state == "0A" and int(local.rsplit(":", 1)[1], 16) == preview.port:
                listening.append(local.rsplit(":", 1)[0])
    assert listening == ["0100007F"]  # 127.0.0.1, and nothing on 0.0.0.0 or ::
    assert preview.url == f"http://127.0.0.1:{preview.port}/"


def _first_event(port: int, target: str = "/events?since=0", last: str | None = None,
                 wait: float = 10) -> dict[str, str] | None:
    """The first event of the stream (its fields), or None when none comes within ``wait`` seconds."""
    with socket.create_connection(("127.0.0.1", port), timeout=wait) as conn:
        extra = f"Last-Event-ID: {last}\r\n" if last else ""
        conn.sendall(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{extra}\r\n".encode())
        data = b""
        try:
            while b"data: " not in data or b"\r\n\r\n" not in data.split(b"data: ", 1)[1]:  # a whole event
                data += conn.recv(65536)
        except socket.timeout:
            return None
    head, _, stream = data.partition(b"\r\n\r\n")
    assert b"200 OK" in head and b"text/event-stream" in head
    return dict(line.split(": ", 1) for line in stream.decode().split("\r\n") if ": " in line)


def test_events_bring_what_changed_since_the_revision_a_browser_has(served) -> None:
    preview, _ = served
    fields = _first_event(preview.port)
    assert fields is not None
    message = json.loads(fields["data"])
    boot, revision = fields["id"].split("-")
    assert fields["event"] == "update" and int(revision) == message["revision"] > 0
    assert message["order"] == ["cover", "plan"] and [p["id"] for p in message["parts"]] == ["cover", "plan"]
    assert all(len(p["pages"]) == 2 for p in message["parts"]) and len(message["fonts"]) == 12
    assert _first_event(preview.port, f"/events?since={revision}", wait=1.5) is None  # nothing new: nothing sent
    assert _first_event(preview.port, "/events", last=fields["id"], wait=1.5) is None  # a reconnecting browser
    again = _first_event(preview.port, "/events", last=f"0000-{revision}")  # it heard an earlier server: all
    assert again is not None and [p["id"] for p in json.loads(again["data"])["parts"]] == ["cover", "plan"]


def test_a_given_port_is_used_and_a_busy_one_is_a_clear_error(tmp_path: Path) -> None:
    root = write_meeting(tmp_path, PLAN)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with Preview(root, "--port", str(port)) as preview:
        assert preview.port == port and _get(port, "/")[0] == 200
        result = CliRunner().invoke(make_cli(), ["preview", str(root), "--port", str(port)])  # a second one
        assert result.exit_code == 1
        assert result.stderr == f"error: cannot listen on 127.0.0.1:{port}: Address already in use\n"


def test_ctrl_c_stops_it_cleanly_and_a_missing_folder_is_an_error(tmp_path: Path) -> None:
    preview = Preview(write_meeting(tmp_path))
    assert _get(preview.port, "/")[0] == 200
    assert preview.stop() == 0
    assert preview.lines[-1] == "stopped the preview" and "Traceback" not in preview.process.stderr.read()  # type: ignore[union-attr]
    result = CliRunner().invoke(make_cli(), ["preview", str(tmp_path / "nowhere")])
    assert result.exit_code == 1 and result.stderr == f"error: {tmp_path / 'nowhere'}: meeting folder not found\n"


def test_resolve_inside_follows_links_and_keeps_to_pictures(tmp_path: Path) -> None:
    """Pictures are told by their content, as the layout tells them: a PNG named ``pic`` is served as one;
    a file named ``.png`` that is not a picture is not served."""
    png, jpeg = b"\x89PNG\r\n\x1a\n" + b"x" * 8, b"\xff\xd8\xff\xe0" + b"x" * 8
    root = tmp_path / "root"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "a.PNG").write_bytes(png)
    (root / "pic").write_bytes(jpeg)
    (root / "notes.txt").write_bytes(b"x")
    (root / "fake.png").write_bytes(b"not a picture")
    (tmp_path / "out.jpg").write_bytes(jpeg)
    (root / "in.jpg").symlink_to(root / "sub" / "a.PNG")
    (root / "out.jpg").symlink_to(tmp_path / "out.jpg")
    assert resolve_inside(root, "sub/a.PNG") == (root / "sub" / "a.PNG", "image/png")
    assert resolve_inside(root, "in.jpg") == (root / "sub" / "a.PNG", "image/png")  # a link inside, to a picture inside
    assert resolve_inside(root, "pic") == (root / "pic", "image/jpeg")  # no suffix: its content says what it is
    for bad in ("out.jpg", "../out.jpg", str(tmp_path / "out.jpg"), "notes.txt", "fake.png", "sub", "",
                "sub/a.PNG\x00", "missing.png"):
        assert resolve_inside(root, bad) is None, bad


def test_open_hands_the_address_to_the_browser(tmp_path: Path) -> None:
    opened = tmp_path / "opened.txt"
    browser = f"{sys.executable} -c \"import sys; open(sys.argv[1], 'w').write(sys.argv[2])\" {opened} %s"
    with Preview(write_meeting(tmp_path), "--open", env={"BROWSER": browser}) as preview:
        for _ in range(100):
            if opened.is_file() and opened.read_text():
                break
            time.sleep(0.1)
        assert opened.read_text() == preview.url
