const express = require('express');
const rateLimit = require('express-rate-limit');
const { RedisStore } = require('rate-limit-redis');
const { createClient } = require('redis');

const client = createClient({ url: process.env.REDIS_URL });
client.connect();

const app = express();
app.set('trust proxy', 1);
app.use(
  rateLimit({
    windowMs: 60 * 1000,
    limit: 100,
    store: new RedisStore({ sendCommand: (...args) => client.sendCommand(args) }),
  }),
);

app.get('/api/ping', (req, res) => res.json({ pong: true }));
app.listen(3000);
