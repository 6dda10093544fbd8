"""The HTML report as a review page, driven in a real headless browser (Chromium).

The page is opened from a file, as a reader would; a change is unticked, a
replacement edited and a proposal ticked through the DevTools protocol (real
clicks and typing), the reviewed report is downloaded, and ``respell apply``
takes it. Skipped when no Chromium is installed (``apt-get install chromium``).
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import socket
import struct
import subprocess
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

from respell.cli import main

BROWSER = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome",
                                          "chrome") if shutil.which(n)), None)
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(BROWSER is None, reason="no Chromium to drive (apt-get install "
                                                         "chromium)")]

NAMES = "Qassem Soleimani\nLiz Sly\nBaghdad\nTora Bora\nPervez Musharraf\n"
SRT = ("1\n00:00:01,000 --> 00:00:03,000\nGeneral Sola money was killed\n\n"
       "2\n00:00:03,500 --> 00:00:05,000\nnear Big Dad. We met Liz sly.\n")
TXT = "General much harassed seized power <b>&amp;</b> fled to Torah Bora.\n"


class DevTools:
    """A minimal client of Chromium's DevTools protocol over one WebSocket (RFC 6455)."""

    def __init__(self, url: str) -> None:
        u = urlparse(url)
        self.sock = socket.create_connection((u.hostname, u.port), timeout=30)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET {u.path} HTTP/1.1\r\nHost: {u.hostname}:{u.port}\r\n"
                           "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                           f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            head += self.sock.recv(1)
        assert head.startswith(b"HTTP/1.1 101"), head
        self.next_id = 0

    def _read(self, n: int) -> bytes:
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise ConnectionError("DevTools connection closed")
            data += chunk
        return data

    def _send_frame(self, opcode: int, payload: bytes) -> None:
        n = len(payload)
        head = bytes([0x80 | opcode])
        if n < 126:
            head += bytes([0x80 | n])
        elif n < 1 << 16:
            head += bytes([0x80 | 126]) + struct.pack(">H", n)
        else:
            head += bytes([0x80 | 127]) + struct.pack(">Q", n)
        mask = os.urandom(4)
        self.sock.sendall(head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    def _message(self) -> dict:
        parts = b""
        while True:
            b0, b1 = self._read(2)
            n = b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._read(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._read(8))[0]
            payload = self._read(n)
            opcode = b0 & 0x0F
            if opcode == 9:  # ping
                self._send_frame(10, payload)
                continue
            if opcode == 8:
                raise ConnectionError("DevTools connection closed")
            parts += payload
            if b0 & 0x80:
                return json.loads(parts)

    def call(self, method: str, **params):
        self.next_id += 1
        self._send_frame(1, json.dumps({"id": self.next_id, "method": method,
                                        "params": params}).encode())
        while True:
            msg = self._message()
            if msg.get("id") == self.next_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})

    def js(self, expression: str):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True,
                           awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")


@pytest.fixture
def browser(tmp_path):
    """Chromium with an empty profile; yields a function that opens a URL in a page."""
    proc = subprocess.Popen(
        [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--remote-debugging-port=0", f"--user-data-dir={tmp_path / 'profile'}", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        endpoint = None
        deadline = time.monotonic() + 60
        while endpoint is None and time.monotonic() < deadline:
            line = proc.stderr.readline()
            if not line and proc.poll() is not None:
                pytest.skip(f"{BROWSER} did not start")
            if "DevTools listening on " in line:
                endpoint = line.split("DevTools listening on ", 1)[1].strip()
        assert endpoint, "no DevTools endpoint"
        port = urlparse(endpoint).port

        def open_page(url: str, downloads: Path) -> DevTools:
            top = DevTools(endpoint)
            top.call("Browser.setDownloadBehavior", behavior="allow", downloadPath=str(downloads))
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=30) as r:
                page = next(t for t in json.load(r) if t["type"] == "page")
            tab = DevTools(page["webSocketDebuggerUrl"])
            tab.browser = top  # the download setting holds while this connection is open
            tab.call("Page.navigate", url=url)
            for _ in range(300):
                if tab.js("document.readyState") == "complete" and tab.js(
                        "!!document.getElementById('respell-download') && "
                        "!document.getElementById('respell-download').disabled"):
                    return tab
                time.sleep(0.05)
            raise AssertionError("the review page's script did not start")

        yield open_page
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_review_in_the_browser_then_apply(tmp_path, monkeypatch, capsys, browser):
    monkeypatch.chdir(tmp_path)
    Path("names.txt").write_text(NAMES)
    Path("ep.srt").write_text(SRT)
    Path("ep.txt").write_text(TXT)
    assert main(["fix", "ep.srt", "ep.txt", "-e", "names.txt", "--diff", "--min-score", "0.3",
                 "--report", "review.html"]) == 0
    capsys.readouterr()
    report = json.loads(Path("review.html").read_text().split(
        '<script type="application/json" id="respell-data">', 1)[1].split("</script>", 1)[0])
    srt_changes = report["report"]["files"][0]["changes"]
    assert [c["original"] for c in srt_changes] == ["Sola money", "Big Dad", "Liz sly"]

    downloads = tmp_path / "downloads"
    downloads.mkdir()
    tab = browser(Path("review.html").resolve().as_uri(), downloads)
    rows = "tr.respell-row[data-file=\"0\"]"
    # untick "Big Dad" -> Baghdad: the text shows the words as they were
    tab.js(f"document.querySelector('{rows}[data-k=\"1\"] input.respell-apply').click()")
    assert tab.js("document.getElementById('f1c2').className") == "respell-change respell-off"
    # edit the replacement of "Sola money" by typing into its field
    tab.js(f"var f = document.querySelector('{rows}[data-k=\"0\"] input.respell-replacement');"
           "f.focus(); f.select();")
    tab.call("Input.insertText", text="Qassem Soleimani")
    assert tab.js("document.querySelector('#f1c1 ins').textContent") == "Qassem Soleimani"
    # the second file's rows: tick every proposal that was not applied
    proposals = tab.js("document.querySelectorAll('tr.respell-proposal').length")
    assert proposals >= 1  # "much harassed" -> Musharraf, below the threshold
    tab.js("document.querySelectorAll('tr.respell-proposal input.respell-apply')"
           ".forEach(function (b) { b.click(); })")
    tab.js("document.getElementById('respell-download').click()")
    target = downloads / "review-reviewed.json"
    for _ in range(200):
        if target.exists() and not list(downloads.glob("*.crdownload")):
            break
        time.sleep(0.05)
    reviewed = json.loads(target.read_text())
    assert tab.js("document.getElementById('respell-status').textContent").endswith(
        "kept in review-reviewed.json")

    srt = reviewed["files"][0]["changes"]
    assert [(c["original"], c["replacement"]) for c in srt] == [
        ("Sola money", "Qassem Soleimani"), ("Liz sly", "Liz Sly")]
    assert srt[0]["reason"] == 'edited in review (proposed "Soleimani")'
    assert reviewed["summary"]["changes"] == sum(len(f["changes"]) for f in reviewed["files"])
    assert len(reviewed["files"][1]["changes"]) == len(report["report"]["files"][1]["changes"]) \
        + proposals - len([p for p in report["proposals"][0]
                           if p not in report["report"]["files"][0]["changes"]])

    # respell apply takes the downloaded report as it is
    assert main(["apply", str(target), "ep.srt", "-o", "out.srt"]) == 0
    assert Path("out.srt").read_text() == SRT.replace("Sola money", "Qassem Soleimani").replace(
        "Liz sly", "Liz Sly")
    assert main(["apply", str(target), "ep.txt", "-o", "out.txt"]) == 0
    kept = reviewed["files"][1]["changes"]
    out = TXT
    for c in sorted(kept, key=lambda c: -c["start"]):
        out = out[:c["start"]] + c["replacement"] + out[c["end"]:]
    assert Path("out.txt").read_text() == out
