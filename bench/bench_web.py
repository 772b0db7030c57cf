"""Benchmark: many people saving answers at once against a real `drafting serve`.

Run on demand (never from the tests)::

    python bench/bench_web.py [--sessions 50] [--seconds 60] [--think 5] [--shared 5]

Starts `drafting serve --data <a temporary folder>` (uvicorn, the SQLite store in WAL mode)
on a free port of 127.0.0.1, then runs `--sessions` questionnaires at once, each a thread
that loads the example answers and then, for `--seconds`, opens the collaborative page,
changes the collaborative's name and saves it (post/redirect: the save is the POST), waiting
a random 0 to 2 x `--think` seconds between saves as a person would. `--shared` of the
questionnaires are open in two tabs at once, each tab saving its own changes, so saves from
stale pages happen and must be refused.

Reports the save latency (median, p95, p99, max, in ms), the saves per second, the refused
stale saves, and checks that no update was lost: every save the server accepted (303) made
exactly one new version, the final version of each questionnaire is its first plus its
accepted saves, and its final answers are those of its last accepted save. The target is a
p95 under 200 ms on 2 cores.
"""

from __future__ import annotations

import argparse
import html
import http.client
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "answers" / "north-east-mental-health.yaml"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Browser:
    """One tab: a keep-alive connection and the questionnaire's cookie."""

    def __init__(self, port: int, cookie: str | None = None) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookie = cookie
        self.used = time.monotonic()

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, str, dict[str, str]]:
        if time.monotonic() - self.used > 3:  # uvicorn closes idle keep-alive connections
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = dict(headers or {})
        if self.cookie:
            headers["cookie"] = f"drafting_session={self.cookie}"
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        text = response.read().decode("utf-8")
        self.used = time.monotonic()
        got = {k.lower(): v for k, v in response.getheaders()}
        match = re.search(r"drafting_session=([^;]+)", got.get("set-cookie", ""))
        if match:
            self.cookie = match.group(1)
        return response.status, text, got

    def form(self, path: str) -> tuple[dict[str, list[str]], str]:
        """The values a browser would post from the page at `path`, and the page."""
        status, page, _ = self.request("GET", path)
        assert status == 200, (status, page[:500])
        out: dict[str, list[str]] = {}
        for tag in re.findall(r"<input[^>]*>", page):
            name = re.search(r'name="([^"]+)"', tag)
            value = re.search(r'value="([^"]*)"', tag)
            kind = re.search(r'type="([^"]+)"', tag)
            if not name or name.group(1) in ("focus", "answers_file"):
                continue
            if kind and kind.group(1) in ("radio", "checkbox") and " checked" not in tag:
                continue
            out.setdefault(html.unescape(name.group(1)), []).append(
                html.unescape(value.group(1) if value else ""))
        for name, text in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>',
                                     page, re.DOTALL):
            out[html.unescape(name)] = [html.unescape(text)]
        return out, page

    def upload(self, content: bytes) -> None:
        fields, _ = self.form("/")
        boundary = uuid.uuid4().hex
        body = (
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n"
            f"{fields['csrf_token'][0]}\r\n--{boundary}\r\nContent-Disposition: form-data; "
            f"name=\"answers_file\"; filename=\"a.yaml\"\r\nContent-Type: application/yaml\r\n\r\n"
        ).encode() + content + f"\r\n--{boundary}--\r\n".encode()
        status, text, _ = self.request(
            "POST", "/upload", body, {"content-type": f"multipart/form-data; boundary={boundary}"})
        assert status == 303, (status, text[:500])


class Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.accepted: dict[str, list[str]] = {}  # questionnaire -> names saved, in order
        self.refused = 0
        self.errors: list[str] = []


def tab(port: int, key: str, cookie: str, deadline: float, think: float, stats: Stats,
        seed: int) -> None:
    rng = random.Random(seed)
    browser = Browser(port, cookie)
    n = 0
    time.sleep(rng.uniform(0, 2 * think))  # people do not all press Save at the same instant
    while time.monotonic() < deadline:
        try:
            fields, _ = browser.form("/section/collaborative")
            n += 1
            name = f"Collaborative {key} save {seed}-{n}"
            fields["collaborative.name"] = [name]
            fields["action"] = ["continue"]
            body = urllib.parse.urlencode(
                [(k, v) for k, values in fields.items() for v in values]).encode()
            start = time.perf_counter()
            status, text, _ = browser.request(
                "POST", "/section/collaborative", body,
                {"content-type": "application/x-www-form-urlencoded"})
            elapsed = time.perf_counter() - start
            with stats.lock:
                stats.latencies.append(elapsed)
                if status == 303:
                    stats.accepted.setdefault(key, []).append(name)
                elif status == 409 and "Your changes were not saved" in text:
                    stats.refused += 1
                else:
                    stats.errors.append(f"{status}: {text[:200]}")
        except Exception as exc:  # noqa: BLE001 - a benchmark reports, it does not stop
            with stats.lock:
                stats.errors.append(repr(exc))
            browser = Browser(port, cookie)
        time.sleep(rng.uniform(0, 2 * think))


def version_and_name(port: int, cookie: str) -> tuple[int, str]:
    browser = Browser(port, cookie)
    fields, _ = browser.form("/section/collaborative")
    return int(fields["version"][0]), fields["collaborative.name"][0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--think", type=float, default=5.0,
                        help="mean seconds between one tab's saves (a person takes far longer)")
    parser.add_argument("--shared", type=int, default=5,
                        help="questionnaires open in two tabs at once")
    args = parser.parse_args()

    data = Path(tempfile.mkdtemp(prefix="drafting-bench-"))
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "drafting", "serve", "--data", str(data), "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                Browser(port).request("GET", "/static/app.css")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    print("drafting serve did not start", file=sys.stderr)
                    return 1
                time.sleep(0.1)
        content = EXAMPLE.read_bytes()
        cookies = {}
        for i in range(args.sessions):
            browser = Browser(port)
            browser.upload(content)
            cookies[f"q{i}"] = browser.cookie or ""
        first = {key: version_and_name(port, cookie)[0] for key, cookie in cookies.items()}
        stats = Stats()
        end = time.monotonic() + args.seconds
        threads = []
        for i, (key, cookie) in enumerate(cookies.items()):
            for t in range(2 if i < args.shared else 1):
                threads.append(threading.Thread(
                    target=tab, args=(port, key, cookie, end, args.think, stats, i * 10 + t)))
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.monotonic() - started
        lost = []
        for key, cookie in cookies.items():
            version, name = version_and_name(port, cookie)
            saves = stats.accepted.get(key, [])
            if version != first[key] + len(saves) or (saves and name != saves[-1]):
                lost.append((key, first[key], len(saves), version, name, saves[-1:]))
    finally:
        server.terminate()
        server.wait(timeout=30)
    ms = sorted(x * 1000 for x in stats.latencies)
    q = statistics.quantiles(ms, n=100)
    print(f"drafting serve (uvicorn, SQLite WAL), {os.cpu_count()} cores; {args.sessions} "
          f"questionnaires ({args.shared} open in two tabs), {len(threads)} tabs, "
          f"{args.seconds:g} s, think time mean {args.think:g} s")
    accepted = sum(map(len, stats.accepted.values()))
    print(f"saves: {len(ms)} ({len(ms) / wall:.1f}/s); accepted {accepted}, "
          f"refused as stale {stats.refused}, errors {len(stats.errors)}")
    print(f"save latency ms: median {statistics.median(ms):.1f}, p95 {q[94]:.1f}, "
          f"p99 {q[98]:.1f}, max {ms[-1]:.1f}  (target: p95 < 200)")
    print(f"lost updates: {len(lost)}" + (f" {lost[:3]}" if lost else ""))
    for error in stats.errors[:5]:
        print("  error:", error)
    return 0 if not lost and not stats.errors else 1


if __name__ == "__main__":
    sys.exit(main())
