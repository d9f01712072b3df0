// chat_server.js [PORT]: a "broadcast" application (ws package) on 127.0.0.1, a chat room:
// every message a client sends goes to every connected client (the sender included) as
// {"nickname": NAME, "message": TEXT}, and everyone hears "has connected" / "has disconnected"
// notices. PORT 0 or absent picks a free port. A fixture for --target-profile broadcast.
// SPDX-License-Identifier: MIT
'use strict';

const { WebSocketServer } = require('ws');

const port = Number(process.argv[2] || 0);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write('usage: chat_server.js [PORT]\n');
  process.exit(2);
}

let guests = 0;
const wss = new WebSocketServer({ host: '127.0.0.1', port });

function broadcast(nickname, message) {
  const text = JSON.stringify({ nickname, message });
  for (const client of wss.clients) if (client.readyState === 1) client.send(text);
}

wss.on('listening', () => {
  process.stdout.write(`listening on ${wss.address().port}\n`);
});

wss.on('error', (err) => {
  process.stderr.write(`chat_server: ${err.message}\n`);
  process.exit(1);
});

wss.on('connection', (ws) => {
  guests += 1;
  const nickname = `guest-${guests}`;
  broadcast(nickname, 'has connected');
  ws.on('message', (data) => broadcast(nickname, data.toString()));
  ws.on('close', () => broadcast(nickname, 'has disconnected'));
  ws.on('error', () => {});
});

const stop = () => {
  for (const client of wss.clients) client.terminate();
  wss.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 1000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
