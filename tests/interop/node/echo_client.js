// echo_client.js URL: checks a WebSocket echo server with the ws package (text, binary, 70 000-byte UTF-8, ping, close).
// SPDX-License-Identifier: MIT
'use strict';

const WebSocket = require('ws');

const TOTAL_TIMEOUT_MS = 10000;
const BIG_TEXT_BYTES = 70000;

// A 70 000-byte text: whole repetitions of a mixed ASCII / non-ASCII unit,
// padded with ASCII to exactly BIG_TEXT_BYTES bytes of UTF-8.
function bigText() {
  const unit = 'aäö€𝄞 ';
  const unitBytes = Buffer.byteLength(unit, 'utf8');
  const reps = Math.floor(BIG_TEXT_BYTES / unitBytes);
  const text = unit.repeat(reps);
  return text + 'x'.repeat(BIG_TEXT_BYTES - Buffer.byteLength(text, 'utf8'));
}

function binaryPayload() {
  const buf = Buffer.alloc(256);
  for (let i = 0; i < 256; i++) buf[i] = i;
  return buf;
}

function fail(reason) {
  process.stdout.write(`FAILED ${reason}\n`);
  process.exit(1);
}

function main() {
  const url = process.argv[2];
  if (!url) {
    process.stderr.write('usage: echo_client.js URL\n');
    process.exit(2);
  }

  const timer = setTimeout(() => fail('timeout'), TOTAL_TIMEOUT_MS);

  // Events are queued and consumed strictly in order by the steps below.
  const queue = [];
  let waiter = null;
  const push = (ev) => {
    if (waiter) {
      const w = waiter;
      waiter = null;
      w(ev);
    } else {
      queue.push(ev);
    }
  };
  const next = () =>
    queue.length ? Promise.resolve(queue.shift()) : new Promise((resolve) => { waiter = resolve; });

  let ws;
  try {
    ws = new WebSocket(url);
  } catch (err) {
    fail(`connect: ${err.message}`);
  }
  ws.on('open', () => push({ type: 'open' }));
  ws.on('message', (data, isBinary) => push({ type: 'message', data, isBinary }));
  ws.on('pong', (data) => push({ type: 'pong', data }));
  ws.on('close', (code, reason) => push({ type: 'close', code, reason: reason.toString() }));
  ws.on('error', (err) => fail(`error: ${err.message}`));

  const describe = (ev) => {
    if (ev.type === 'message') return `${ev.isBinary ? 'binary' : 'text'} message of ${ev.data.length} bytes`;
    if (ev.type === 'close') return `close ${ev.code}`;
    return ev.type;
  };

  const expectMessage = async (step, payload, isBinary) => {
    const ev = await next();
    if (ev.type !== 'message') fail(`${step}: expected message, got ${describe(ev)}`);
    if (ev.isBinary !== isBinary) fail(`${step}: wrong message type (${describe(ev)})`);
    if (!ev.data.equals(payload)) fail(`${step}: payload mismatch (${describe(ev)})`);
    process.stdout.write(`ok ${step}\n`);
  };

  (async () => {
    const opened = await next();
    if (opened.type !== 'open') fail(`connect: got ${describe(opened)}`);
    process.stdout.write('ok connect\n');

    const hello = 'Hello, wsharness';
    ws.send(hello);
    await expectMessage('text', Buffer.from(hello, 'utf8'), false);

    const bin = binaryPayload();
    ws.send(bin, { binary: true });
    await expectMessage('binary', bin, true);

    const big = bigText();
    ws.send(big);
    await expectMessage('big text', Buffer.from(big, 'utf8'), false);

    ws.ping('ping-1');
    const pong = await next();
    if (pong.type !== 'pong') fail(`ping: expected pong, got ${describe(pong)}`);
    if (pong.data.toString() !== 'ping-1') fail(`ping: pong payload ${JSON.stringify(pong.data.toString())}`);
    process.stdout.write('ok ping\n');

    ws.close(1000, 'bye');
    const closed = await next();
    if (closed.type !== 'close') fail(`close: expected close, got ${describe(closed)}`);
    if (closed.code !== 1000) fail(`close: code ${closed.code}`);
    process.stdout.write('ok close\n');

    clearTimeout(timer);
    process.exit(0);
  })().catch((err) => fail(`error: ${err.message}`));
}

main();
