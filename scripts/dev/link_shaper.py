"""A shaped network link for the bench: a TCP proxy in front of a local server that slows every
connection the way a phone network does, so that the calculator's worker and the page are all
slowed and counted alike (DevTools' network emulation does not slow a worker's
requests).

All connections share one link: each direction is a FIFO of at most `rate` bits a second, and
every chunk arrives `rtt / 2` after it has been sent (one round trip per request). Counts the
bytes sent to the browser, headers included: bytes on the wire.

    with LinkShaper(upstream_port, mbit=9, rtt_ms=60) as link:   # Chrome's "Fast 4G"
        browse(f"http://127.0.0.1:{link.port}/..."); print(link.down_bytes)
"""
from __future__ import annotations

import asyncio
import threading
import time

CHUNK = 16 * 1024  # small enough that parallel downloads share the link fairly

PROFILES = {  # name: (Mbit/s down, Mbit/s up, round trip in ms); None = not shaped
    "localhost": None,
    "fast-4g": (9.0, 1.5, 60),
    "slow-4g": (1.6, 0.75, 150),
}


class _Direction:
    """One direction of the shared link: serialisation at `rate`, then a fixed delay."""

    def __init__(self, bytes_per_s: float, delay_s: float) -> None:
        self.bytes_per_s, self.delay_s = bytes_per_s, delay_s
        self.free_at = 0.0
        self.sent = 0

    def schedule(self, size: int) -> float:
        """When a chunk of `size` bytes handed over now arrives at the other end."""
        now = time.monotonic()
        self.sent += size
        if not self.bytes_per_s:  # not shaped: counted only
            return now
        start = max(now, self.free_at)
        self.free_at = start + size / self.bytes_per_s
        return self.free_at + self.delay_s


def _without_brotli(data: bytes) -> bytes:
    lines = data.split(b"\r\n")
    for i, line in enumerate(lines):
        if line.lower().startswith(b"accept-encoding:"):
            lines[i] = b"Accept-Encoding: gzip, deflate"
    return b"\r\n".join(lines)


class LinkShaper:
    """mbit None: a link that only counts. gzip_only: the browser's Accept-Encoding loses "br",
    as if the host could not send brotli."""

    def __init__(self, upstream_port: int, mbit: float | None = None, rtt_ms: float = 0,
                 up_mbit: float | None = None, gzip_only: bool = False) -> None:
        self.upstream_port = upstream_port
        self.down = _Direction((mbit or 0) * 1e6 / 8, rtt_ms / 2000)
        self.up = _Direction((up_mbit or mbit or 0) * 1e6 / 8, rtt_ms / 2000)
        self.gzip_only = gzip_only
        self.port = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._started = threading.Event()

    @classmethod
    def profile(cls, upstream_port: int, name: str, gzip_only: bool = False) -> "LinkShaper":
        mbit, up, rtt = PROFILES[name] or (None, None, 0)
        return cls(upstream_port, mbit, rtt, up, gzip_only)

    @property
    def down_bytes(self) -> int:
        return self.down.sent

    def reset(self) -> None:
        self.down.sent = self.up.sent = 0

    async def _pump(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, link: _Direction) -> None:
        queue: asyncio.Queue = asyncio.Queue()

        async def deliver() -> None:
            while True:
                item = await queue.get()
                if item is None:
                    break
                at, data = item
                delay = at - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
                writer.write(data)
                await writer.drain()

        delivering = asyncio.ensure_future(deliver())
        try:
            while True:
                data = await reader.read(CHUNK)
                if not data:
                    break
                if self.gzip_only and link is self.up:
                    data = _without_brotli(data)
                at = link.schedule(len(data))
                queue.put_nowait((at, data))
                # back-pressure: do not read further ahead than the link can carry
                ahead = link.free_at - time.monotonic()
                if ahead > 0.05:
                    await asyncio.sleep(ahead - 0.05)
        except (ConnectionError, OSError):
            pass
        finally:
            queue.put_nowait(None)
            try:
                await delivering
                writer.write_eof() if writer.can_write_eof() else None
            except (ConnectionError, OSError):
                pass

    async def _handle(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        try:
            server_reader, server_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(self._pump(client_reader, server_writer, self.up),
                             self._pump(server_reader, client_writer, self.down), return_exceptions=True)
        for w in (client_writer, server_writer):
            try:
                w.close()
            except (ConnectionError, OSError):
                pass

    def _run(self) -> None:
        self._loop = asyncio.new_event_loop()
        server = self._loop.run_until_complete(asyncio.start_server(self._handle, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        self._started.set()
        self._loop.run_forever()
        server.close()
        # end the connections' tasks here: none is left to be destroyed pending, later, when its
        # loop is gone (Python then prints their tracebacks)
        tasks = asyncio.all_tasks(self._loop)
        self._loop.set_exception_handler(lambda loop, context: None if isinstance(
            context.get("exception"), asyncio.CancelledError) else loop.default_exception_handler(context))
        for task in tasks:
            task.cancel()
        if tasks:  # gather() of nothing asks for the thread's current loop, and this thread has none
            self._loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))
        self._loop.close()

    def __enter__(self) -> "LinkShaper":
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        self._started.wait(10)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._loop:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
