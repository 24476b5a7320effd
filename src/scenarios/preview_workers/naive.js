const express = require("express");
const { Worker } = require("node:worker_threads");

const app = express();
app.use(express.json());

// One warm render worker per editing session, so previews after the first are fast.
const workerCache = new Map();

function workerFor(sessionId) {
  if (workerCache.has(sessionId)) {
    return workerCache.get(sessionId);
  }
  const worker = new Worker("./render-worker.js", { workerData: { sessionId } });
  workerCache.set(sessionId, worker);
  return worker;
}

function render(worker, markdown) {
  return new Promise((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
    worker.postMessage({ markdown });
  });
}

app.post("/sessions/:sessionId/preview", async (req, res, next) => {
  try {
    const html = await render(workerFor(req.params.sessionId), req.body.markdown);
    res.type("html").send(html);
  } catch (err) {
    next(err);
  }
});

app.listen(3000);
