"""A small HTTP server on 127.0.0.1 that plays a provider's part, one scripted answer per path."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
WEBP = b"RIFF\x00\x00\x00\x00WEBPVP8 " + b"\x00" * 64


class Answer:
    def __init__(self, status=200, body=b"", headers=None, delay=0.0, trickle=0.0):
        self.status, self.headers, self.delay = status, dict(headers or {}), delay
        self.trickle = trickle  # seconds between 16-byte pieces of the body (a slow download)
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
            self.headers.setdefault("Content-Type", "application/json")
        self.body = body


class FakeService:
    """routes: (method, path) -> Answer, or a list of Answers served in turn (the last repeats)."""

    def __init__(self):
        self.routes: dict[tuple[str, str], object] = {}
        self.requests: list[dict] = []
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.02,), daemon=True)
        self._thread.start()

    def on(self, method: str, path: str, *answers: Answer) -> None:
        self.routes[(method, path)] = list(answers)

    def _next(self, method, path):
        answers = self.routes.get((method, path))
        if not answers:
            return Answer(404, {"error": "no such route"})
        return answers.pop(0) if len(answers) > 1 else answers[0]

    def _handler(self):
        service = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _serve(self, method):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    body = raw
                service.requests.append(
                    {"method": method, "path": self.path, "headers": dict(self.headers), "json": body}
                )
                answer = service._next(method, self.path)
                if answer.delay:
                    time.sleep(answer.delay)
                try:
                    self.send_response(answer.status)
                    for k, v in answer.headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(len(answer.body)))
                    self.end_headers()
                    if not answer.trickle:
                        self.wfile.write(answer.body)
                    for i in range(0, len(answer.body), 16) if answer.trickle else ():
                        self.wfile.write(answer.body[i : i + 16])
                        self.wfile.flush()
                        time.sleep(answer.trickle)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def do_GET(self):
                self._serve("GET")

            def do_POST(self):
                self._serve("POST")

        return Handler

    def close(self):
        self._httpd.shutdown()
        self._httpd.server_close()


@pytest.fixture
def service():
    s = FakeService()
    yield s
    s.close()
