// lobby-service/src/server.js
// Game lobby REST API + websocket fan-out for lobby chat / ready-state.
// Deployed on k8s: deployment "lobby-api", replicas: 3, behind the nginx ingress
// (see deploy/lobby-api.yaml). Sticky sessions are NOT enabled on the ingress.

'use strict';

const express = require('express');
const http = require('http');
const { WebSocketServer } = require('ws');
const { nanoid } = require('nanoid');
const { Pool } = require('pg');

const app = express();
app.use(express.json());

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });

// lobbyId -> { hostId, mode, maxPlayers, status, players: Set<playerId>, sockets: Set<WebSocket> }
const lobbies = new Map();

// anti-spam for lobby creation: ip -> { count, windowStart }
const createHits = {};
const CREATE_LIMIT = 5;
const WINDOW_MS = 60 * 1000;

function clientIp(req) {
  const fwd = req.headers['x-forwarded-for'];
  if (fwd) return fwd.split(',')[0].trim();
  return req.socket.remoteAddress;
}

function tooManyCreates(ip) {
  const now = Date.now();
  const entry = createHits[ip];
  if (!entry || now - entry.windowStart > WINDOW_MS) {
    createHits[ip] = { count: 1, windowStart: now };
    return false;
  }
  entry.count += 1;
  return entry.count > CREATE_LIMIT;
}

function broadcast(lobby, msg) {
  const data = JSON.stringify(msg);
  for (const ws of lobby.sockets) {
    if (ws.readyState === ws.OPEN) ws.send(data);
  }
}

app.post('/lobbies', async (req, res, next) => {
  try {
    if (tooManyCreates(clientIp(req))) {
      return res.status(429).json({ error: 'Too many lobbies created, try again in a minute' });
    }
    const { playerId, mode = 'casual', maxPlayers = 4 } = req.body;
    const id = nanoid(8);
    lobbies.set(id, {
      hostId: playerId,
      mode,
      maxPlayers: Math.min(maxPlayers, 16),
      status: 'open',
      players: new Set([playerId]),
      sockets: new Set(),
    });
    await pool.query(
      'INSERT INTO lobby_log (lobby_id, host_id, mode, created_at) VALUES ($1, $2, $3, now())',
      [id, playerId, mode]
    );
    res.status(201).json({ id });
  } catch (err) {
    next(err);
  }
});

app.post('/lobbies/:id/join', (req, res) => {
  const lobby = lobbies.get(req.params.id);
  if (!lobby) return res.status(404).json({ error: 'Lobby not found' });
  if (lobby.status !== 'open') return res.status(409).json({ error: 'Match already started' });
  if (lobby.players.size >= lobby.maxPlayers) return res.status(409).json({ error: 'Lobby full' });

  lobby.players.add(req.body.playerId);
  broadcast(lobby, { type: 'player_joined', playerId: req.body.playerId, count: lobby.players.size });
  res.json({ ok: true, players: [...lobby.players] });
});

app.post('/lobbies/:id/start', (req, res) => {
  const lobby = lobbies.get(req.params.id);
  if (!lobby) return res.status(404).json({ error: 'Lobby not found' });
  if (lobby.hostId !== req.body.playerId) return res.status(403).json({ error: 'Only the host can start' });
  lobby.status = 'in_game';
  broadcast(lobby, { type: 'match_starting', in: 5 });
  res.json({ ok: true });
});

const server = http.createServer(app);
const wss = new WebSocketServer({ server, path: '/ws' });

wss.on('connection', (ws, req) => {
  const url = new URL(req.url, 'http://localhost');
  const lobby = lobbies.get(url.searchParams.get('lobby'));
  if (!lobby) return ws.close(4404, 'unknown lobby');

  lobby.sockets.add(ws);
  ws.on('message', (raw) => {
    const msg = JSON.parse(raw);
    if (msg.type === 'chat') broadcast(lobby, { type: 'chat', from: msg.from, text: String(msg.text).slice(0, 280) });
  });
  ws.on('close', () => lobby.sockets.delete(ws));
});

server.listen(process.env.PORT || 8080, () => console.log('lobby-api listening'));
