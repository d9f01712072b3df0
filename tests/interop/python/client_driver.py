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
        async with websockets.connect(url, max_size=None) as ws:
            async for message in ws:
                await ws.send(message)
    except (websockets.exceptions.WebSocketException, OSError):
        pass


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
