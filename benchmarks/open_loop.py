"""An open-loop HTTP load generator that costs little CPU: one asyncio process, requests sent at fixed times.

Each request is due at ``start + i / rate`` and is sent then on a connection of its own (``Connection:
close``, as gunicorn's sync workers answer), however many are still waiting for their answers; its latency
counts from when it was due, so a slow answer delays no one's clock (no coordinated omission). The client's
own CPU time is reported beside the latencies, so a tail that is the client's shows as such.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections import Counter
from urllib.parse import urlsplit


async def _send(host: str, port: int, request: bytes) -> int:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(request)
        status = int((await reader.readline()).split()[1])
        await reader.read()  # to the end: the server closes the connection
        return status
    finally:
        writer.close()


def _request(netloc: str, method: str, path: str, headers: dict[str, str], body: bytes = b"") -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {netloc}", "Connection: close"]
    if body:
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    return "\r\n".join(lines + [f"{k}: {v}" for k, v in headers.items()] + ["", ""]).encode() + body


async def _run(
    base: str,
    path: str,
    headers: dict[str, str],
    rate: float,
    seconds: float,
    posts: list[tuple[str, bytes]] | None,
) -> dict:
    parts = urlsplit(base)
    if posts:
        requests = [_request(parts.netloc, "POST", p, headers, body) for p, body in posts]
    else:
        requests = [_request(parts.netloc, "GET", path, headers)]
    total = int(rate * seconds)
    loop = asyncio.get_running_loop()
    start = loop.time() + 0.2
    latencies: list[float] = []
    statuses: Counter = Counter()

    async def one(due: float, request: bytes) -> None:
        try:
            statuses[await _send(parts.hostname, parts.port, request)] += 1
        except OSError as exc:
            statuses[type(exc).__name__] += 1
        latencies.append(loop.time() - due)

    cpu = time.process_time()
    pending = set()
    for i in range(total):
        due = start + i / rate
        if (wait := due - loop.time()) > 0:
            await asyncio.sleep(wait)
        task = asyncio.create_task(one(due, requests[i % len(requests)]))
        pending.add(task)
        task.add_done_callback(pending.discard)
    sending = loop.time() - start
    await asyncio.gather(*pending)
    elapsed = loop.time() - start
    cpu = time.process_time() - cpu
    q = statistics.quantiles(latencies, n=1000, method="inclusive")
    return {
        "p50_ms": q[499] * 1000,
        "p99_ms": q[989] * 1000,
        "p999_ms": q[998] * 1000,
        "max_ms": max(latencies) * 1000,
        "sent": total,
        "sent_per_s": total / sending,
        "per_s": total / elapsed,
        "client_cpu": cpu / elapsed,
        "statuses": statuses,
    }


def open_loop(
    base: str,
    path: str,
    headers: dict[str, str],
    rate: float,
    seconds: float,
    posts: list[tuple[str, bytes]] | None = None,
) -> dict:
    """``rate`` GETs of ``path`` a second for ``seconds`` (or, with ``posts``, each (path, JSON body) POSTed
    in turn): latency quantiles from when each was due, the answers by status, and the client's CPU time as
    a share of one core."""
    return asyncio.run(_run(base, path, headers, rate, seconds, posts))
