// push_server.js [PORT] [--interval MS] [--rsv1-after N] [--bad-utf8-every N]: a "push" application (ws package) on
// 127.0.0.1, a stock ticker: every client gets a JSON snapshot of the prices when it connects and
// then every MS milliseconds (default 1000); whatever a client sends is ignored. PORT 0 or absent
// picks a free port. With --rsv1-after N it misbehaves on purpose: after its N-th snapshot to a
// client it writes a text frame with RSV1 set (no extension was negotiated: RFC 6455 §5.2), the
// violation wsharness must report. With --bad-utf8-every N it writes, after every N-th snapshot to
// a client, a text frame whose payload is not UTF-8 (RFC 6455 §8.1) and goes on as if nothing
// happened. A fixture for --target-profile push and `wsharness observe`.
// SPDX-License-Identifier: MIT
'use strict';

const { WebSocketServer } = require('ws');

const args = process.argv.slice(2);
const valueOf = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const interval = valueOf('--interval', 1000);
const rsv1After = valueOf('--rsv1-after', 0);
const badUtf8Every = valueOf('--bad-utf8-every', 0);
const positional = args.filter((a, i) => !a.startsWith('--') && (i === 0 || !args[i - 1].startsWith('--')));
const port = Number(positional[0] || 0);
if (!Number.isInteger(port) || port < 0 || port > 65535 || !(interval > 0) || !(rsv1After >= 0) || !(badUtf8Every >= 0)) {
  process.stderr.write('usage: push_server.js [PORT] [--interval MS] [--rsv1-after N] [--bad-utf8-every N]\n');
  process.exit(2);
}

const prices = { ACME: 101.25, GLOBEX: 42.5, INITECH: 7.75, UMBRELLA: 250.0 };
let sequence = 0;

function snapshot() {
  for (const name of Object.keys(prices)) {
    const move = Math.round((Math.random() - 0.5) * 100) / 100;
    prices[name] = Math.max(0.01, Math.round((prices[name] + move) * 100) / 100);
  }
  sequence += 1;
  return JSON.stringify({ type: 'snapshot', sequence, time: new Date().toISOString(), prices });
}

const wss = new WebSocketServer({ host: '127.0.0.1', port });

wss.on('listening', () => {
  process.stdout.write(`listening on ${wss.address().port}\n`);
});

wss.on('error', (err) => {
  process.stderr.write(`push_server: ${err.message}\n`);
  process.exit(1);
});

// A snapshot to one client; after the --rsv1-after'th, the bad frame "bad" with RSV1 set, and
// after every --bad-utf8-every'th a text frame that is not UTF-8, written under ws (which would
// never send them) straight to the socket.
function sendTo(ws, text) {
  ws.send(text);
  ws.sent = (ws.sent || 0) + 1;
  if (rsv1After > 0 && ws.sent === rsv1After) ws._socket.write(Buffer.from([0xc1, 0x03, 0x62, 0x61, 0x64]));
  // "\xc3(": a two-byte sequence cut short.
  if (badUtf8Every > 0 && ws.sent % badUtf8Every === 0) ws._socket.write(Buffer.from([0x81, 0x02, 0xc3, 0x28]));
}

wss.on('connection', (ws) => {
  sendTo(ws, snapshot());
  ws.on('message', () => {});  // a ticker ignores what clients say
  ws.on('error', () => {});
});

const timer = setInterval(() => {
  const text = snapshot();
  for (const client of wss.clients) if (client.readyState === 1) sendTo(client, text);
}, interval);

const stop = () => {
  clearInterval(timer);
  for (const client of wss.clients) client.terminate();
  wss.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 1000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
