// mini_fuzzingserver.js [PORT]: tiny stand-in for Autobahn|Testsuite's fuzzingserver (ws package), to test a client driver.
// SPDX-License-Identifier: MIT
'use strict';

// URL protocol (all WebSocket upgrades on 127.0.0.1):
//   /getCaseCount                 -> text "4", then close 1000
//   /runCase?case=N&agent=A       -> run case N (1..4) against the client
//   /updateReports?agent=A        -> close 1000, print the results of agent A,
//                                    exit 0 if its 4 cases are OK, else exit 1
// Any other path is refused with HTTP 404.

const { WebSocketServer } = require('ws');

const CASE_COUNT = 4;
const CASE_TIMEOUT_MS = 5000;
const CLOSE_TIMEOUT_MS = 3000;
const TOTAL_TIMEOUT_MS = 30000;
const BIG_TEXT_BYTES = 70000;

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

const log = (msg) => process.stderr.write(`mini_fuzzingserver: ${msg}\n`);

// results: agent -> Map(caseNumber -> {ok, reason})
const results = new Map();
// Cases still closing: a driver may ask for the report before our side of a
// case's connection has seen the end of its close handshake.
const pending = new Set();
function record(agent, caseNo, ok, reason) {
  if (!results.has(agent)) results.set(agent, new Map());
  results.get(agent).set(caseNo, { ok, reason });
  log(`agent ${JSON.stringify(agent)} case ${caseNo}: ${ok ? 'OK' : `FAILED ${reason}`}`);
}

function parseRequest(reqUrl) {
  let url;
  try {
    url = new URL(reqUrl, 'http://127.0.0.1');
  } catch (err) {
    return null;
  }
  const agent = url.searchParams.get('agent') || '';
  if (url.pathname === '/getCaseCount') return { kind: 'count' };
  if (url.pathname === '/updateReports') return { kind: 'report', agent };
  if (url.pathname === '/runCase') {
    const caseNo = Number(url.searchParams.get('case'));
    if (Number.isInteger(caseNo) && caseNo >= 1 && caseNo <= CASE_COUNT) {
      return { kind: 'case', caseNo, agent };
    }
  }
  return null;
}

function runCase(ws, caseNo, agent) {
  let expected; // {isBinary, data} for a message echo, or {pong} for case 4
  let matched = false;
  let failure = null;
  let closing = false;

  const startClose = () => {
    if (closing) return;
    closing = true;
    clearTimeout(caseTimer);
    ws.close(1000);
    setTimeout(() => {
      if (ws.readyState !== ws.CLOSED) ws.terminate();
    }, CLOSE_TIMEOUT_MS).unref();
  };
  const caseTimer = setTimeout(() => {
    if (!matched && !failure) failure = 'timeout waiting for the echo';
    startClose();
  }, CASE_TIMEOUT_MS);

  ws.on('message', (data, isBinary) => {
    if (closing) return;
    if (!expected.data) {
      failure = `unexpected ${isBinary ? 'binary' : 'text'} message`;
    } else if (isBinary !== expected.isBinary) {
      failure = `echo has type ${isBinary ? 'binary' : 'text'}, expected ${expected.isBinary ? 'binary' : 'text'}`;
    } else if (!data.equals(expected.data)) {
      failure = `echo payload differs (${data.length} bytes, expected ${expected.data.length})`;
    } else {
      matched = true;
    }
    startClose();
  });
  ws.on('pong', (data) => {
    if (closing || !expected.pong) return;
    if (data.toString() === expected.pong) {
      matched = true;
    } else {
      failure = `pong payload ${JSON.stringify(data.toString())}, expected ${JSON.stringify(expected.pong)}`;
    }
    startClose();
  });
  let done;
  const finished = new Promise((resolve) => { done = resolve; });
  pending.add(finished);
  ws.on('close', (code) => {
    clearTimeout(caseTimer);
    pending.delete(finished);
    done();
    if (!closing && !failure) failure = `client closed first (code ${code})`;
    if (failure) record(agent, caseNo, false, failure);
    else if (!matched) record(agent, caseNo, false, 'no echo');
    else if (code !== 1000) record(agent, caseNo, false, `client close code ${code}, expected 1000`);
    else record(agent, caseNo, true, '');
  });
  ws.on('error', (err) => {
    if (!failure) failure = `connection error: ${err.message}`;
  });

  switch (caseNo) {
    case 1:
      expected = { isBinary: false, data: Buffer.from('Hello, wsharness', 'utf8') };
      ws.send('Hello, wsharness');
      break;
    case 2:
      expected = { isBinary: true, data: binaryPayload() };
      ws.send(expected.data, { binary: true });
      break;
    case 3: {
      const text = bigText();
      expected = { isBinary: false, data: Buffer.from(text, 'utf8') };
      ws.send(text);
      break;
    }
    case 4:
      expected = { pong: 'ping-1' };
      ws.ping('ping-1');
      break;
  }
}

async function updateReports(ws, agent, wss) {
  ws.on('error', () => {});
  ws.close(1000);
  await Promise.race([
    Promise.all([...pending]),
    new Promise((resolve) => setTimeout(resolve, CLOSE_TIMEOUT_MS + 500)),
  ]);
  const agentResults = results.get(agent) || new Map();
  let allOk = true;
  for (let i = 1; i <= CASE_COUNT; i++) {
    const r = agentResults.get(i);
    if (r && r.ok) {
      process.stdout.write(`case ${i}: OK\n`);
    } else {
      allOk = false;
      process.stdout.write(`case ${i}: FAILED ${r ? r.reason : 'not run'}\n`);
    }
  }
  const finish = () => {
    wss.close();
    process.exit(allOk ? 0 : 1);
  };
  if (ws.readyState === ws.CLOSED) finish();
  ws.on('close', finish);
  setTimeout(finish, CLOSE_TIMEOUT_MS).unref();
}

function main() {
  const port = Number(process.argv[2] || 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write('usage: mini_fuzzingserver.js [PORT]\n');
    process.exit(2);
  }

  setTimeout(() => {
    process.stdout.write('timeout\n');
    process.exit(1);
  }, TOTAL_TIMEOUT_MS);

  const wss = new WebSocketServer({
    host: '127.0.0.1',
    port,
    verifyClient: (info, cb) => {
      if (parseRequest(info.req.url)) {
        cb(true);
      } else {
        log(`unknown request ${info.req.url}: 404`);
        cb(false, 404, 'Not Found');
      }
    },
  });

  wss.on('listening', () => {
    process.stdout.write(`listening on ${wss.address().port}\n`);
  });
  wss.on('error', (err) => {
    log(err.message);
    process.exit(1);
  });

  wss.on('connection', (ws, req) => {
    const r = parseRequest(req.url);
    log(`request ${req.url}`);
    if (r.kind === 'count') {
      ws.on('error', () => {});
      ws.send(String(CASE_COUNT));
      ws.close(1000);
    } else if (r.kind === 'case') {
      runCase(ws, r.caseNo, r.agent);
    } else {
      updateReports(ws, r.agent, wss);
    }
  });

  const stop = () => process.exit(1);
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main();
