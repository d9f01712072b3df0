// sink_server.js [PORT] [--verbose]: a "sink" application (ws package) on 127.0.0.1: it accepts
// messages and never sends any; it only logs them (to stderr with --verbose, otherwise a count
// when it stops). PORT 0 or absent picks a free port. A fixture for --target-profile sink.
// SPDX-License-Identifier: MIT
'use strict';

const { WebSocketServer } = require('ws');

const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const port = Number(args.find((a) => !a.startsWith('--')) || 0);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write('usage: sink_server.js [PORT] [--verbose]\n');
  process.exit(2);
}

let messages = 0;
let bytes = 0;
const wss = new WebSocketServer({ host: '127.0.0.1', port });

wss.on('listening', () => {
  process.stdout.write(`listening on ${wss.address().port}\n`);
});

wss.on('error', (err) => {
  process.stderr.write(`sink_server: ${err.message}\n`);
  process.exit(1);
});

wss.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => {
    messages += 1;
    bytes += data.length;
    if (verbose) process.stderr.write(`sink_server: ${isBinary ? 'binary' : 'text'} message of ${data.length} bytes\n`);
  });
  ws.on('error', (err) => {
    if (verbose) process.stderr.write(`sink_server: connection error: ${err.message}\n`);
  });
});

const stop = () => {
  process.stderr.write(`sink_server: ${messages} messages, ${bytes} bytes logged\n`);
  for (const client of wss.clients) client.terminate();
  wss.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 1000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
