// is it ok to keep this in memory? the api runs on 3 pods.
// (ports table = ~40 terminals, edited maybe twice a year via a migration + redeploy)
import express from 'express';
import { pool } from './db';

type Port = { code: string; name: string; lat: number; lon: number; timezone: string };

const portsByCode = new Map<string, Port>();

export async function loadPorts(): Promise<void> {
  const { rows } = await pool.query<Port>('SELECT code, name, lat, lon, timezone FROM ports');
  for (const p of rows) portsByCode.set(p.code, p);
}

export const portsRouter = express.Router();

portsRouter.get('/ports/:code', (req, res) => {
  const port = portsByCode.get(req.params.code.toUpperCase());
  if (!port) return res.status(404).json({ error: 'unknown port' });
  res.json(port);
});

// server.ts:  await loadPorts(); app.use('/api', portsRouter); app.listen(8080);
