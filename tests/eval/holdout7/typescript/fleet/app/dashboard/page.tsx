// app/dashboard/page.tsx — fleet overview for the signed-in operator's organization
import "../globals.css"; // Tailwind, compiled at build time by postcss
import { unstable_cache } from "next/cache";
import { redirect } from "next/navigation";
import { prisma } from "@/lib/prisma";
import { getSession } from "@/lib/session";
import { VehicleTable } from "./vehicle-table";

const WEATHER_API = process.env.WEATHER_API_URL!;

// Daily distance/idle aggregates per org. Telemetry arrives every 10s, so a
// 5 minute old dashboard is fine and keeps this off the hot path.
const getFleetSummary = unstable_cache(
  async (orgId: string) =>
    prisma.$queryRaw<{ day: Date; km: number; idleMinutes: number }[]>`
      SELECT date_trunc('day', recorded_at) AS day,
             SUM(distance_m) / 1000.0      AS km,
             SUM(idle_seconds) / 60        AS "idleMinutes"
        FROM trip_segments
       WHERE org_id = ${orgId}::uuid
         AND recorded_at >= now() - interval '14 days'
       GROUP BY 1
       ORDER BY 1`,
  ["fleet-summary"],
  { revalidate: 300 }
);

async function getDepotWeather(lat: number, lng: number) {
  try {
    const res = await fetch(`${WEATHER_API}/current?lat=${lat}&lng=${lng}`, {
      signal: AbortSignal.timeout(2_000),
      next: { revalidate: 900 },
    });
    if (!res.ok) throw new Error(`weather api ${res.status}`);
    return (await res.json()) as { tempC: number; conditions: string };
  } catch (err) {
    console.error("depot weather lookup failed", { lat, lng, err });
    throw err;
  }
}

export default async function DashboardPage({ searchParams }: { searchParams: { cursor?: string } }) {
  const session = await getSession();
  if (!session) redirect("/login");
  const orgId = session.orgId;

  const org = await prisma.organization.findUniqueOrThrow({
    where: { id: orgId },
    select: { name: true, depotLat: true, depotLng: true },
  });

  const vehicles = await prisma.vehicle.findMany({
    where: { orgId },
    orderBy: { id: "asc" },
    take: 50,
    ...(searchParams.cursor ? { cursor: { id: searchParams.cursor }, skip: 1 } : {}),
    select: { id: true, plate: true, label: true, status: true },
  });

  // latest position for every vehicle on this page in one query
  const positions = await prisma.vehiclePosition.findMany({
    where: { orgId, vehicleId: { in: vehicles.map((v) => v.id) }, isLatest: true },
    select: { vehicleId: true, lat: true, lng: true, speedKph: true, recordedAt: true },
  });

  const [summary, weather] = await Promise.all([
    getFleetSummary(orgId),
    getDepotWeather(org.depotLat, org.depotLng).catch(() => null),
  ]);

  return (
    <main className="space-y-6 p-6">
      <header className="flex items-baseline justify-between">
        <h1 className="text-xl font-semibold">{org.name} fleet</h1>
        {weather && <span className="text-sm text-slate-500">Depot: {weather.tempC}°C, {weather.conditions}</span>}
      </header>
      <section className="grid grid-cols-7 gap-2">
        {summary.map((d) => (
          <div key={d.day.toISOString()} className="rounded border p-2 text-xs">
            <div>{d.day.toLocaleDateString()}</div>
            <div className="font-medium">{Math.round(d.km)} km</div>
            <div className="text-slate-500">{d.idleMinutes} min idle</div>
          </div>
        ))}
      </section>
      <VehicleTable vehicles={vehicles} positions={positions} nextCursor={vehicles.at(-1)?.id} />
    </main>
  );
}
