#!/usr/bin/python3
# echo_server.py [PORT]: WebSocket echo server (Python websockets) on 127.0.0.1; PORT 0 or absent picks a free port.
# SPDX-License-Identifier: MIT
"""Same contract as tests/interop/node/echo_server.js: prints "listening on <port>", runs until SIGTERM/SIGINT."""

import asyncio
import signal
import sys

import websockets


async def echo(ws):
    try:
        async for msg in ws:
            # str is sent back as text, bytes as binary.
            await ws.send(msg)
    except websockets.ConnectionClosed:
        pass


async def serve(port):
    loop = asyncio.get_running_loop()
    stop = loop.create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, lambda: stop.done() or stop.set_result(None))
    async with websockets.serve(echo, "127.0.0.1", port, max_size=100 * 2**20) as server:
        print(f"listening on {server.sockets[0].getsockname()[1]}", flush=True)
        await stop


def main():
    try:
        port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
        if not 0 <= port <= 65535 or len(sys.argv) > 2:
            raise ValueError
    except ValueError:
        print("usage: echo_server.py [PORT]", file=sys.stderr)
        return 2
    asyncio.run(serve(port))
    return 0


if __name__ == "__main__":
    sys.exit(main())
