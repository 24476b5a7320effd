// fleet-api/src/telemetry/ingest.ts
// Robot telemetry + teleop endpoints for the Reno fulfilment centre.
// Helm values: replicaCount: 3, HPA up to 8 during peak season.
import express, { Request, Response, NextFunction } from "express";
import { Pool } from "pg";
import { planRoute, Route, GridPoint } from "./pathing";
import { requireOperator } from "../auth";

export const router = express.Router();
const pool = new Pool({ connectionString: process.env.FLEET_DB_URL, max: 20 });

// A* over the floor grid is slow (~40ms), remember results
const routeCache = new Map<string, Route>();

// robotId -> operatorId holding the teleop lease
const teleopLeases = new Map<string, string>();

type Frame = { robotId: string; ts: number; x: number; y: number; battery: number; state: string };

const wrap =
  (fn: (req: Request, res: Response) => Promise<unknown>) =>
  (req: Request, res: Response, next: NextFunction) =>
    fn(req, res).catch(next);

router.post(
  "/telemetry/batch",
  wrap(async (req, res) => {
    const frames: Frame[] = req.body.frames ?? [];
    if (frames.length === 0) return res.status(204).end();
    if (frames.length > 500) return res.status(413).json({ error: "max 500 frames per batch" });

    // single multi-row insert via unnest
    await pool.query(
      `INSERT INTO telemetry (robot_id, ts, x, y, battery, state)
       SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::real[], $4::real[], $5::real[], $6::text[])`,
      [
        frames.map((f) => f.robotId),
        frames.map((f) => new Date(f.ts)),
        frames.map((f) => f.x),
        frames.map((f) => f.y),
        frames.map((f) => f.battery),
        frames.map((f) => f.state),
      ],
    );
    res.status(202).json({ accepted: frames.length });
  }),
);

router.get(
  "/robots/:robotId/telemetry",
  wrap(async (req, res) => {
    const { rows } = await pool.query(
      "SELECT ts, x, y, battery, state FROM telemetry WHERE robot_id = $1 ORDER BY ts",
      [req.params.robotId],
    );
    res.json({ robotId: req.params.robotId, frames: rows });
  }),
);

router.post(
  "/robots/:robotId/route",
  wrap(async (req, res) => {
    const from: GridPoint = req.body.from;
    const to: GridPoint = req.body.to;
    const key = `${from.x},${from.y}->${to.x},${to.y}`;
    let route = routeCache.get(key);
    if (!route) {
      route = await planRoute(from, to);
      routeCache.set(key, route);
    }
    res.json({ route });
  }),
);

router.post(
  "/robots/:robotId/teleop",
  requireOperator,
  wrap(async (req, res) => {
    const { robotId } = req.params;
    const operatorId = res.locals.operator.id as string;
    const holder = teleopLeases.get(robotId);
    if (holder && holder !== operatorId) {
      return res.status(423).json({ error: `robot is under teleop by ${holder}` });
    }
    teleopLeases.set(robotId, operatorId);
    res.json({ robotId, leasedTo: operatorId });
  }),
);

router.delete(
  "/robots/:robotId/teleop",
  requireOperator,
  wrap(async (req, res) => {
    if (teleopLeases.get(req.params.robotId) === res.locals.operator.id) {
      teleopLeases.delete(req.params.robotId);
    }
    res.status(204).end();
  }),
);
