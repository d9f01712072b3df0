#!/usr/bin/python3
# echo_client.py URL: checks a WebSocket echo server with Python websockets (text, binary, 70 000-byte UTF-8, ping, close).
# SPDX-License-Identifier: MIT
"""Same contract as tests/interop/node/echo_client.js: exit 0 on success, 1 on failure."""

import asyncio
import sys

import websockets

TOTAL_TIMEOUT = 10.0
BIG_TEXT_BYTES = 70000


class Failure(Exception):
    pass


def big_text():
    """Whole repetitions of a mixed ASCII / non-ASCII unit, ASCII-padded to 70 000 UTF-8 bytes."""
    unit = "aäö€𝄞 "
    reps = BIG_TEXT_BYTES // len(unit.encode("utf-8"))
    text = unit * reps
    return text + "x" * (BIG_TEXT_BYTES - len(text.encode("utf-8")))


def describe(msg):
    kind = "binary" if isinstance(msg, bytes) else "text"
    size = len(msg) if isinstance(msg, bytes) else len(msg.encode("utf-8"))
    return f"{kind} message of {size} bytes"


async def expect_echo(ws, step, payload):
    await ws.send(payload)
    try:
        msg = await ws.recv()
    except websockets.ConnectionClosed as exc:
        raise Failure(f"{step}: connection closed ({exc.code})") from None
    if type(msg) is not type(payload):
        raise Failure(f"{step}: wrong message type ({describe(msg)})")
    if msg != payload:
        raise Failure(f"{step}: payload mismatch ({describe(msg)})")
    print(f"ok {step}", flush=True)


async def run(url):
    try:
        ws = await websockets.connect(url, max_size=1 << 20)
    except (OSError, websockets.InvalidHandshake) as exc:
        raise Failure(f"connect: {exc}") from None
    print("ok connect", flush=True)
    try:
        await expect_echo(ws, "text", "Hello, wsharness")
        await expect_echo(ws, "binary", bytes(range(256)))
        await expect_echo(ws, "big text", big_text())

        try:
            await asyncio.wait_for(await ws.ping(b"ping-1"), 5)
        except asyncio.TimeoutError:
            raise Failure("ping: no pong") from None
        except websockets.ConnectionClosed as exc:
            raise Failure(f"ping: connection closed ({exc.code})") from None
        print("ok ping", flush=True)

        await ws.close(1000, "bye")
        if ws.close_code != 1000:
            raise Failure(f"close: code {ws.close_code}")
        print("ok close", flush=True)
    finally:
        if not ws.closed:
            ws.transport.abort()


def main():
    if len(sys.argv) != 2:
        print("usage: echo_client.py URL", file=sys.stderr)
        return 2
    try:
        asyncio.run(asyncio.wait_for(run(sys.argv[1]), TOTAL_TIMEOUT))
    except asyncio.TimeoutError:
        print("FAILED timeout", flush=True)
        return 1
    except Failure as exc:
        print(f"FAILED {exc}", flush=True)
        return 1
    except Exception as exc:  # any other error is a failure too, on one line
        print(f"FAILED error: {type(exc).__name__}: {exc}", flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
