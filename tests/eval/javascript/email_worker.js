// Consumes the `emails` queue and delivers through the mail provider's HTTP API.
const axios = require('axios');
const { Worker } = require('bullmq');

const mail = axios.create({ baseURL: 'https://api.mailer.example/v1', timeout: 8000 });

async function deliver(job) {
  const { to, template, vars } = job.data;
  let lastErr;
  for (let attempt = 1; attempt <= 4; attempt++) {
    try {
      await mail.post('/send', { to, template, vars });
      return;
    } catch (err) {
      lastErr = err;
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
  throw lastErr;
}

async function lookupDomain(domain) {
  const res = await axios.get(`https://dns.example/api/mx/${encodeURIComponent(domain)}`);
  return res.data.records;
}

new Worker('emails', deliver, {
  connection: { host: process.env.REDIS_HOST },
  concurrency: 10,
});

module.exports = { deliver, lookupDomain };
