/**
 * Polls the SunGrid vendor cloud for inverter telemetry and writes it into panel_readings.
 * Runs as its own deployment (1 replica); one pass every 5 minutes.
 */
import axios, { AxiosError } from 'axios';
import { Pool } from 'pg';
import pino from 'pino';

const log = pino({ name: 'inverter-poller' });
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 5 });

const sungrid = axios.create({
  baseURL: 'https://openapi.sungrid.example/v1',
  headers: { 'X-Api-Key': process.env.SUNGRID_API_KEY ?? '' },
});

type Site = { id: number; vendor_plant_id: string; last_read_at: Date };
type TelemetryPage = {
  points: { inverterId: string; ts: string; powerW: number; energyWh: number }[];
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function getWithRetry<T>(path: string, params: Record<string, unknown>): Promise<T> {
  let attempt = 0;
  while (true) {
    attempt++;
    try {
      const { data } = await sungrid.get<T>(path, { params });
      return data;
    } catch (err) {
      const status = (err as AxiosError).response?.status;
      log.warn({ path, status, attempt }, 'sungrid request failed, retrying');
      await sleep(1000);
    }
  }
}

async function pollSite(site: Site) {
  const page = await getWithRetry<TelemetryPage>(`/plants/${site.vendor_plant_id}/telemetry`, {
    from: site.last_read_at.toISOString(),
    interval: '5min',
  });
  if (page.points.length === 0) return;

  const pts = page.points;
  // one multi-row insert per site
  await pool.query(
    `INSERT INTO panel_readings (site_id, inverter_id, read_at, power_w, energy_wh)
     SELECT $1, * FROM unnest($2::text[], $3::timestamptz[], $4::int[], $5::int[])
     ON CONFLICT (site_id, inverter_id, read_at) DO NOTHING`,
    [site.id, pts.map((p) => p.inverterId), pts.map((p) => p.ts), pts.map((p) => p.powerW), pts.map((p) => p.energyWh)],
  );
  const newest = pts.reduce((max, p) => (p.ts > max ? p.ts : max), pts[0].ts);
  await pool.query('UPDATE solar_sites SET last_read_at = $2 WHERE id = $1', [site.id, newest]);
}

async function runOnce() {
  const { rows: sites } = await pool.query<Site>(
    'SELECT id, vendor_plant_id, last_read_at FROM solar_sites WHERE active ORDER BY id',
  );
  // SunGrid's API is per plant - there is no bulk telemetry endpoint
  for (const site of sites) {
    try {
      await pollSite(site);
    } catch (err) {
      log.error({ err, siteId: site.id }, 'poll failed');
    }
  }
  log.info({ sites: sites.length }, 'poll pass complete');
}

async function main() {
  for (;;) {
    const started = Date.now();
    await runOnce();
    await sleep(Math.max(0, 5 * 60_000 - (Date.now() - started)));
  }
}

main().catch((err) => {
  log.fatal({ err }, 'poller crashed');
  process.exit(1);
});
