// gateway/server.js
// Edge gateway for the booking platform API.
// Deployed as a k8s Deployment (replicas: 3) behind the nginx ingress controller.
const express = require('express');
const axios = require('axios');
const { createProxyMiddleware } = require('http-proxy-middleware');

const app = express();

const authClient = axios.create({
  baseURL: process.env.AUTH_SERVICE_URL,
  timeout: 3000,
});

// token -> { sub, scopes, exp }; saves a round trip to the auth service per request
const introspectionCache = new Map();

// Fixed-window limiter: 120 requests / minute per client IP
const WINDOW_MS = 60 * 1000;
const MAX_PER_WINDOW = 120;
const hits = new Map(); // ip -> { count, windowStart }

function clientIp(req) {
  const forwarded = req.headers['x-forwarded-for'];
  if (forwarded) return forwarded.split(',')[0].trim();
  return req.socket.remoteAddress;
}

function rateLimit(req, res, next) {
  const ip = clientIp(req);
  const now = Date.now();
  const entry = hits.get(ip);

  if (!entry || now - entry.windowStart >= WINDOW_MS) {
    hits.set(ip, { count: 1, windowStart: now });
    return next();
  }
  entry.count += 1;
  if (entry.count > MAX_PER_WINDOW) {
    res.set('Retry-After', String(Math.ceil((entry.windowStart + WINDOW_MS - now) / 1000)));
    return res.status(429).json({ error: 'too_many_requests' });
  }
  next();
}

async function authenticate(req, res, next) {
  const header = req.headers.authorization || '';
  const token = header.startsWith('Bearer ') ? header.slice(7) : null;
  if (!token) return res.status(401).json({ error: 'missing_token' });

  let claims = introspectionCache.get(token);
  if (!claims || claims.exp * 1000 <= Date.now()) {
    try {
      const { data } = await authClient.post('/oauth2/introspect', { token });
      if (!data.active) return res.status(401).json({ error: 'invalid_token' });
      claims = { sub: data.sub, scopes: (data.scope || '').split(' '), exp: data.exp };
      introspectionCache.set(token, claims);
    } catch (err) {
      console.error('token introspection failed:', err.message);
      return res.status(503).json({ error: 'auth_unavailable' });
    }
  }
  req.headers['x-user-id'] = claims.sub;
  req.headers['x-user-scopes'] = claims.scopes.join(' ');
  next();
}

app.get('/healthz', (req, res) => res.send('ok'));

app.use(
  '/api',
  rateLimit,
  authenticate,
  createProxyMiddleware({
    target: process.env.UPSTREAM_URL,
    changeOrigin: true,
    proxyTimeout: 15000,
    timeout: 15000,
  })
);

const port = Number(process.env.PORT) || 8080;
app.listen(port, () => console.log(`gateway listening on ${port}`));
