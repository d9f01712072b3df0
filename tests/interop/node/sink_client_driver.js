// SPDX-License-Identifier: MIT
// Autobahn client driver for a "sink" client (Node's ws): it runs every case but answers no
// message (ws still answers Pings and Closes by itself). Tested with
// `wsharness test-client --target-profile sink`.
// Usage: node sink_client_driver.js ws://HOST:PORT AGENT
'use strict';

const WebSocket = require('ws');

const base = process.argv[2] || 'ws://127.0.0.1:9001';
const agent = encodeURIComponent(process.argv[3] || 'sink-client');

// One connection to `path`; resolves once it has closed ('close' follows every 'error').
function visit(path, onMessage) {
  return new Promise((resolve) => {
    const ws = new WebSocket(base + path);
    ws.on('message', (data) => onMessage(data));
    ws.on('error', () => {});
    ws.on('close', () => resolve());
  });
}

async function main() {
  let count = 0;
  await visit('/getCaseCount', (data) => { count = parseInt(data.toString(), 10); });
  console.log(`case count: ${count}`);
  for (let i = 1; i <= count; ++i) await visit(`/runCase?case=${i}&agent=${agent}`, () => {});
  await visit(`/updateReports?agent=${agent}`, () => {});
  console.log('reports updated');
}

main();
