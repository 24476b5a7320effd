// src/gateway.ts — smart-home command gateway
// Hubs keep a websocket open to us; the mobile app POSTs commands which we relay.
// Deployed on 4 pods (HPA min 4) behind the cloud load balancer, sticky sessions off.

import express, { Request, Response, NextFunction } from 'express';
import { createServer } from 'http';
import { WebSocketServer, WebSocket } from 'ws';
import Redis from 'ioredis';
import { verifyAppToken, verifyHubToken } from './auth';
import { logger } from './logger';

const app = express();
app.use(express.json());

const server = createServer(app);
const wss = new WebSocketServer({ server, path: '/hub' });

// hubId -> socket, for relaying commands to the right home
const hubSockets = new Map<string, WebSocket>();

wss.on('connection', async (ws, req) => {
  const hubId = await verifyHubToken(req.headers['authorization']);
  if (!hubId) return ws.close(4401, 'unauthorized');
  hubSockets.set(hubId, ws);
  ws.on('close', () => hubSockets.delete(hubId));
});

async function appAuth(req: Request, res: Response, next: NextFunction) {
  try {
    res.locals.user = await verifyAppToken(req.header('authorization'));
    next();
  } catch (err) {
    next(err);
  }
}

app.post('/homes/:homeId/devices/:deviceId/commands', appAuth, async (req, res) => {
  const { homeId, deviceId } = req.params;
  const redis = new Redis(process.env.REDIS_URL!);
  try {
    const hubId = await redis.hget(`home:${homeId}`, 'hubId');
    if (!hubId) return res.status(404).json({ error: 'home has no hub' });

    const ws = hubSockets.get(hubId);
    if (!ws || ws.readyState !== WebSocket.OPEN) {
      return res.status(503).json({ error: 'hub offline' });
    }
    const cmd = { id: crypto.randomUUID(), deviceId, action: req.body.action, args: req.body.args ?? {} };
    ws.send(JSON.stringify(cmd));
    await redis.lpush(`home:${homeId}:cmdlog`, JSON.stringify({ ...cmd, by: res.locals.user.id, at: Date.now() }));
    await redis.ltrim(`home:${homeId}:cmdlog`, 0, 199);
    res.status(202).json({ commandId: cmd.id });
  } finally {
    redis.disconnect();
  }
});

app.get('/healthz', (_req, res) => res.send('ok'));

server.listen(Number(process.env.PORT ?? 3000), () => logger.info('gateway up'));
