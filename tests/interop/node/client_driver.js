// SPDX-License-Identifier: MIT
// Autobahn client driver for Node's ws: getCaseCount, every case with echo, updateReports.
// Usage: node client_driver.js ws://HOST:PORT AGENT
'use strict';

const WebSocket = require('ws');

const base = process.argv[2] || 'ws://127.0.0.1:9001';
const agent = encodeURIComponent(process.argv[3] || 'ws');

// One connection to `path`; resolves once it has closed ('close' follows every 'error').
function visit(path, onMessage) {
  return new Promise((resolve) => {
    const ws = new WebSocket(base + path);
    ws.on('message', (data, isBinary) => onMessage(ws, data, isBinary));
    ws.on('error', () => {});
    ws.on('close', () => resolve());
  });
}

async function main() {
  let count = 0;
  await visit('/getCaseCount', (ws, data) => { count = parseInt(data.toString(), 10); });
  console.log(`case count: ${count}`);
  for (let i = 1; i <= count; ++i) {
    await visit(`/runCase?case=${i}&agent=${agent}`, (ws, data, isBinary) => ws.send(data, { binary: isBinary }));
  }
  await visit(`/updateReports?agent=${agent}`, () => {});
  console.log('reports updated');
}

main();
