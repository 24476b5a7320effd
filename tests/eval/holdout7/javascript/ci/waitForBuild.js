#!/usr/bin/env node
// ci/waitForBuild.js
//
// Used by the deploy pipeline: triggers builds for the given services on the
// build API and blocks until all of them finish. Single process, runs once per
// pipeline step, then exits.
//
//   node ci/waitForBuild.js --ref main api worker web

const { parseArgs } = require('node:util');

const BUILD_API = process.env.BUILD_API_URL || 'https://builds.internal.example.com/api';
const TOKEN = process.env.BUILD_API_TOKEN;

const { values, positionals: services } = parseArgs({
  options: { ref: { type: 'string', default: 'main' }, deadline: { type: 'string', default: '1800' } },
  allowPositionals: true,
});

// serviceName -> { buildId, status }; only this process ever reads it
const builds = new Map();

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function api(path, init = {}) {
  const res = await fetch(`${BUILD_API}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    signal: AbortSignal.timeout(15_000),
  });
  if (res.status >= 500 || res.status === 429) {
    const err = new Error(`build api ${res.status} on ${path}`);
    err.retryable = true;
    throw err;
  }
  if (!res.ok) throw new Error(`build api ${res.status} on ${path}: ${await res.text()}`);
  return res.json();
}

// exponential backoff with full jitter, capped delay and capped attempts
async function withRetry(fn, { attempts = 6, baseMs = 500, maxMs = 20_000 } = {}) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const retryable = err.retryable || err.name === 'TimeoutError';
      if (!retryable || attempt >= attempts) throw err;
      const delay = Math.random() * Math.min(maxMs, baseMs * 2 ** attempt);
      console.warn(`retry ${attempt}/${attempts - 1} in ${Math.round(delay)}ms: ${err.message}`);
      await sleep(delay);
    }
  }
}

async function main() {
  if (!services.length) {
    console.error('usage: waitForBuild.js --ref <ref> <service...>');
    process.exit(2);
  }
  for (const svc of services) {
    const { id } = await withRetry(() =>
      api('/builds', { method: 'POST', body: JSON.stringify({ service: svc, ref: values.ref }) })
    );
    builds.set(svc, { buildId: id, status: 'queued' });
    console.log(`${svc}: build ${id} queued`);
  }

  const deadline = Date.now() + Number(values.deadline) * 1000;
  while ([...builds.values()].some((b) => !['passed', 'failed', 'canceled'].includes(b.status))) {
    if (Date.now() > deadline) {
      console.error('timed out waiting for builds');
      process.exit(1);
    }
    const ids = [...builds.values()].map((b) => b.buildId).join(',');
    const { builds: latest } = await withRetry(() => api(`/builds?ids=${ids}`));
    for (const b of latest) {
      const entry = builds.get(b.service);
      if (entry && entry.status !== b.status) console.log(`${b.service}: ${entry.status} -> ${b.status}`);
      if (entry) entry.status = b.status;
    }
    await sleep(10_000);
  }

  const failed = [...builds].filter(([, b]) => b.status !== 'passed');
  if (failed.length) {
    console.error(`failed: ${failed.map(([s]) => s).join(', ')}`);
    process.exit(1);
  }
  console.log('all builds passed');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
