// echo_server_tls.js CERT KEY [PORT] [--deflate]: WebSocket echo server (ws package) over https on
// 127.0.0.1; PORT 0 or absent picks a free port; --deflate enables ws's permessage-deflate with its
// default options (as echo_server.js). Prints each new TLS server name (SNI) clients send.
// SPDX-License-Identifier: MIT
'use strict';

const fs = require('fs');
const https = require('https');
const { WebSocketServer } = require('ws');

const [certFile, keyFile, portText, option] = process.argv.slice(2);
const port = Number(portText || 0);
const deflate = option === '--deflate';
if (!certFile || !keyFile || !Number.isInteger(port) || port < 0 || port > 65535 || (option && !deflate) ||
    process.argv.length > 6) {
  process.stderr.write('usage: echo_server_tls.js CERT KEY [PORT] [--deflate]\n');
  process.exit(2);
}

// A plain request (no Upgrade) gets 426, as from the HTTP server ws creates itself in echo_server.js.
const server = https.createServer({ cert: fs.readFileSync(certFile), key: fs.readFileSync(keyFile) }, (req, res) => {
  const body = 'Upgrade Required';
  res.writeHead(426, { 'Content-Length': body.length, 'Content-Type': 'text/plain' });
  res.end(body);
});
const wss = new WebSocketServer({ server, perMessageDeflate: deflate });
const names = new Set();

server.on('secureConnection', (socket) => {
  const name = socket.servername;
  if (name && !names.has(name)) {
    names.add(name);
    process.stdout.write(`TLS server name (SNI): ${name}\n`);
  }
});

server.on('error', (err) => {
  process.stderr.write(`echo_server_tls: ${err.message}\n`);
  process.exit(1);
});

wss.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => {
    ws.send(data, { binary: isBinary });
  });
  ws.on('error', (err) => {
    process.stderr.write(`echo_server_tls: connection error: ${err.message}\n`);
  });
});

server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`listening on ${server.address().port}\n`);
});

const stop = () => {
  for (const client of wss.clients) client.terminate();
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 1000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
