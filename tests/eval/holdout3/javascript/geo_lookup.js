'use strict';

// Fastify plugin: resolves an IP to country/region via the internal geo service.
// Results are cached per IP in an LRU (bounded) and concurrent lookups for the
// same IP share one in-flight request (lru-cache fetchMethod dedupes them).

const fp = require('fastify-plugin');
const { LRUCache } = require('lru-cache');

const GEO_URL = process.env.GEO_SERVICE_URL || 'http://geo.internal:8080';

async function geoPlugin(fastify) {
  const cache = new LRUCache({
    max: 20000,
    ttl: 1000 * 60 * 60, // 1h
    allowStale: true,
    fetchMethod: async (ip, _stale, { signal }) => {
      const res = await fetch(`${GEO_URL}/v1/lookup?ip=${encodeURIComponent(ip)}`, {
        signal: AbortSignal.any([signal, AbortSignal.timeout(2000)]),
      });
      if (!res.ok) {
        throw new Error(`geo service responded ${res.status}`);
      }
      return res.json();
    },
  });

  fastify.decorate('geo', {
    async lookup(ip) {
      try {
        return await cache.fetch(ip);
      } catch (err) {
        fastify.log.warn({ err, ip }, 'geo lookup failed');
        throw err;
      }
    },
  });

  // Uses the socket address resolved by Fastify's trustProxy setting (1 hop, our ALB)
  fastify.get('/geo/me', async (request, reply) => {
    try {
      const geo = await fastify.geo.lookup(request.ip);
      return { ip: request.ip, country: geo.country, region: geo.region };
    } catch (err) {
      request.log.error({ err }, 'could not resolve location');
      return reply.code(503).send({ error: 'geo lookup unavailable' });
    }
  });
}

module.exports = fp(geoPlugin, { name: 'geo' });
