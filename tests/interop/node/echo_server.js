// echo_server.js [PORT] [--deflate]: WebSocket echo server (ws package) on 127.0.0.1; PORT 0 or
// absent picks a free port; --deflate enables ws's permessage-deflate with its default options.
// SPDX-License-Identifier: MIT
'use strict';

const { WebSocketServer } = require('ws');

const port = Number(process.argv[2] || 0);
const deflate = process.argv[3] === '--deflate';
if (!Number.isInteger(port) || port < 0 || port > 65535 || (process.argv[3] && !deflate) || process.argv.length > 4) {
  process.stderr.write('usage: echo_server.js [PORT] [--deflate]\n');
  process.exit(2);
}

const wss = new WebSocketServer({ host: '127.0.0.1', port, perMessageDeflate: deflate });

wss.on('listening', () => {
  process.stdout.write(`listening on ${wss.address().port}\n`);
});

wss.on('error', (err) => {
  process.stderr.write(`echo_server: ${err.message}\n`);
  process.exit(1);
});

wss.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => {
    ws.send(data, { binary: isBinary });
  });
  ws.on('error', (err) => {
    process.stderr.write(`echo_server: connection error: ${err.message}\n`);
  });
});

const stop = () => {
  for (const client of wss.clients) client.terminate();
  wss.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 1000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
