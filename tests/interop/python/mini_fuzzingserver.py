#!/usr/bin/python3
# mini_fuzzingserver.py [PORT]: tiny stand-in for Autobahn|Testsuite's fuzzingserver (Python websockets), to test a client driver.
# SPDX-License-Identifier: MIT
"""Same contract as tests/interop/node/mini_fuzzingserver.js.

URL protocol (all WebSocket upgrades on 127.0.0.1):
  /getCaseCount             -> text "4", then close 1000
  /runCase?case=N&agent=A   -> run case N (1..4) against the client
  /updateReports?agent=A    -> close 1000, print the results of agent A,
                               exit 0 if its 4 cases are OK, else exit 1
Any other path is refused with HTTP 404.
"""

import asyncio
import http
import signal
import sys
from urllib.parse import parse_qs, urlsplit

import websockets

CASE_COUNT = 4
CASE_TIMEOUT = 5.0
CLOSE_TIMEOUT = 3.0
TOTAL_TIMEOUT = 30.0
BIG_TEXT_BYTES = 70000


def big_text():
    """Whole repetitions of a mixed ASCII / non-ASCII unit, ASCII-padded to 70 000 UTF-8 bytes."""
    unit = "aäö€𝄞 "
    reps = BIG_TEXT_BYTES // len(unit.encode("utf-8"))
    text = unit * reps
    return text + "x" * (BIG_TEXT_BYTES - len(text.encode("utf-8")))


def log(msg):
    print(f"mini_fuzzingserver: {msg}", file=sys.stderr, flush=True)


def parse_request(path):
    url = urlsplit(path)
    query = parse_qs(url.query)
    agent = query.get("agent", [""])[0]
    if url.path == "/getCaseCount":
        return ("count", None, None)
    if url.path == "/updateReports":
        return ("report", None, agent)
    if url.path == "/runCase":
        try:
            case = int(query.get("case", [""])[0])
        except ValueError:
            return None
        if 1 <= case <= CASE_COUNT:
            return ("case", case, agent)
    return None


def kind(msg):
    return "binary" if isinstance(msg, bytes) else "text"


def size(msg):
    return len(msg) if isinstance(msg, bytes) else len(msg.encode("utf-8"))


class FuzzingServer:
    def __init__(self):
        self.results = {}  # agent -> {case: (ok, reason)}
        self.done = None  # future holding the exit status
        # Cases still closing: a driver may ask for the report before our side
        # of a case's connection has seen the end of its close handshake.
        self.pending = set()

    def record(self, agent, case, ok, reason):
        self.results.setdefault(agent, {})[case] = (ok, reason)
        log(f"agent {agent!r} case {case}: " + ("OK" if ok else f"FAILED {reason}"))

    async def process_request(self, path, request_headers):
        if parse_request(path) is None:
            log(f"unknown request {path}: 404")
            return http.HTTPStatus.NOT_FOUND, [], b"Not Found\n"
        return None

    async def handler(self, ws):
        what, case, agent = parse_request(ws.path)
        log(f"request {ws.path}")
        if what == "count":
            await ws.send(str(CASE_COUNT))
            await ws.close(1000)
        elif what == "case":
            task = asyncio.current_task()
            self.pending.add(task)
            try:
                await self.run_case(ws, case, agent)
            finally:
                self.pending.discard(task)
        else:
            await self.update_reports(ws, agent)

    async def expect(self, ws, case):
        """Sends the case's message and waits for the echo; returns a failure reason or None."""
        if case == 4:
            try:
                await asyncio.wait_for(await ws.ping(b"ping-1"), CASE_TIMEOUT)
            except asyncio.TimeoutError:
                return "timeout waiting for the pong"
            return None
        if case == 1:
            payload = "Hello, wsharness"
        elif case == 2:
            payload = bytes(range(256))
        else:
            payload = big_text()
        await ws.send(payload)
        try:
            msg = await asyncio.wait_for(ws.recv(), CASE_TIMEOUT)
        except asyncio.TimeoutError:
            return "timeout waiting for the echo"
        if type(msg) is not type(payload):
            return f"echo has type {kind(msg)}, expected {kind(payload)}"
        if msg != payload:
            return f"echo payload differs ({size(msg)} bytes, expected {size(payload)})"
        return None

    async def run_case(self, ws, case, agent):
        try:
            failure = await self.expect(ws, case)
        except websockets.ConnectionClosed as exc:
            self.record(agent, case, False, f"client closed first (code {exc.code})")
            return
        await ws.close(1000)  # waits for the client's close frame (close_timeout)
        if failure:
            self.record(agent, case, False, failure)
        elif ws.close_code != 1000:
            self.record(agent, case, False, f"client close code {ws.close_code}, expected 1000")
        else:
            self.record(agent, case, True, "")

    async def update_reports(self, ws, agent):
        close = asyncio.ensure_future(ws.close(1000))
        others = self.pending - {asyncio.current_task()}
        if others:
            await asyncio.wait(others, timeout=CLOSE_TIMEOUT + 0.5)
        agent_results = self.results.get(agent, {})
        all_ok = True
        for case in range(1, CASE_COUNT + 1):
            ok, reason = agent_results.get(case, (False, "not run"))
            if ok:
                print(f"case {case}: OK", flush=True)
            else:
                all_ok = False
                print(f"case {case}: FAILED {reason}", flush=True)
        await close
        if not self.done.done():
            self.done.set_result(0 if all_ok else 1)

    async def serve(self, port):
        loop = asyncio.get_running_loop()
        self.done = loop.create_future()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, lambda: self.done.done() or self.done.set_result(1))
        async with websockets.serve(
            self.handler,
            "127.0.0.1",
            port,
            process_request=self.process_request,
            close_timeout=CLOSE_TIMEOUT,
            max_size=1 << 20,
        ) as server:
            print(f"listening on {server.sockets[0].getsockname()[1]}", flush=True)
            try:
                return await asyncio.wait_for(asyncio.shield(self.done), TOTAL_TIMEOUT)
            except asyncio.TimeoutError:
                print("timeout", flush=True)
                return 1


def main():
    try:
        port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
        if not 0 <= port <= 65535 or len(sys.argv) > 2:
            raise ValueError
    except ValueError:
        print("usage: mini_fuzzingserver.py [PORT]", file=sys.stderr)
        return 2
    return asyncio.run(FuzzingServer().serve(port))


if __name__ == "__main__":
    sys.exit(main())
