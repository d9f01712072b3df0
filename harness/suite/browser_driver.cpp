// SPDX-License-Identifier: MIT
// The browser driver page served at GET /driver: Autobahn's driver loop with the browser's own
// WebSocket API (getCaseCount, runCase with echo, updateReports).
#include "suite/client_runner.hpp"

namespace wsh::suite {

std::string_view browser_driver_page()
{
    return R"html(<!doctype html>
<html><head><meta charset="utf-8"><title>wsharness browser driver</title></head>
<body><pre id="log"></pre>
<script>
"use strict";
const query = new URLSearchParams(location.search);
const agent = query.get("agent") || "browser";
const base = "ws://" + location.host;

function log(line) {
  document.getElementById("log").textContent += line + "\n";
}

// One connection; resolves when it has closed (an error is always followed by close).
function visit(path, onMessage) {
  return new Promise((resolve) => {
    let ws;
    try {
      ws = new WebSocket(base + path);
    } catch (e) {
      log(path + ": " + e);
      resolve();
      return;
    }
    ws.binaryType = "arraybuffer";
    ws.onmessage = (e) => onMessage(ws, e.data);
    ws.onclose = (e) => resolve(e);
  });
}

async function run() {
  let count = 0;
  await visit("/getCaseCount", (ws, data) => { count = parseInt(data, 10); });
  log("case count: " + count);
  const a = encodeURIComponent(agent);
  for (let i = 1; i <= count; ++i) {
    await visit("/runCase?case=" + i + "&agent=" + a, (ws, data) => ws.send(data));
  }
  await visit("/updateReports?agent=" + a, () => {});
  log("done");
  document.title = "done";
}

run();
</script>
</body></html>
)html";
}

}  // namespace wsh::suite
