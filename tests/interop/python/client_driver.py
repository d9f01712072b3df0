# SPDX-License-Identifier: MIT
"""Autobahn client driver for Python websockets: getCaseCount, every case with echo,
updateReports. Usage: /usr/bin/python3 client_driver.py ws://HOST:PORT AGENT"""
import asyncio
import sys
import urllib.parse

import websockets


async def echo(url):
    """One case: echo every message until the connection closes, however it closes."""
    try:
        # 100 MiB, as echo_server.py and ws (maxPayload): room for 9.x, a limit for 25.2.1.
        async with websockets.connect(url, max_size=100 * 2**20) as ws:
            async for message in ws:
                await ws.send(message)
    except (websockets.exceptions.WebSocketException, OSError):
        pass
    except ValueError as e:
        # websockets 10.4 accepts a response naming a window of 8 bits, then zlib refuses the
        # 8-bit raw compressor and the ValueError escapes connect(); report it, go on.
        print(f"{url}: ValueError: {e}", flush=True)


async def case_count(base):
    async with websockets.connect(base + "/getCaseCount") as ws:
        return int(await ws.recv())


async def main(base, agent):
    count = await case_count(base)
    print(f"case count: {count}", flush=True)
    quoted = urllib.parse.quote(agent)
    for i in range(1, count + 1):
        await echo(f"{base}/runCase?case={i}&agent={quoted}")
    async with websockets.connect(f"{base}/updateReports?agent={quoted}") as ws:
        await ws.wait_closed()
    print("reports updated", flush=True)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else "ws://127.0.0.1:9001",
                     sys.argv[2] if len(sys.argv) > 2 else "websockets"))
