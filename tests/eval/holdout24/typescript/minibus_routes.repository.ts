// School minibus routes: loading a term's routes with their stops, and taking a seat
// on a run. Fragment from src/transport/minibus.repository.ts (TypeORM DataSource).

export class MinibusRepository {
  constructor(private readonly ds: DataSource) {}

  async routesWithStops(schoolId: string, opts: { page?: number; pageSize?: number } = {}) {
    const pageSize = Math.min(opts.pageSize ?? 20, 50);
    const page = Math.max(opts.page ?? 1, 1);

    const routes = await this.ds.getRepository(MinibusRoute).find({
      where: { schoolId, active: true },
      order: { code: 'ASC' },
      take: pageSize,
      skip: (page - 1) * pageSize,
    });
    if (routes.length === 0) return [];

    // All stops for this page of routes in one query, then grouped in memory.
    const stops = await this.ds.getRepository(RouteStop).find({
      where: { schoolId, routeId: In(routes.map((r) => r.id)) },
      order: { routeId: 'ASC', sequence: 'ASC' },
    });
    const byRoute = new Map<string, RouteStop[]>();
    for (const s of stops) {
      const list = byRoute.get(s.routeId) ?? [];
      list.push(s);
      byRoute.set(s.routeId, list);
    }
    return routes.map((r) => ({ ...r, stops: byRoute.get(r.id) ?? [] }));
  }

  /**
   * Reserve a seat on a morning/afternoon run. The seat count only moves if there is
   * still room, and (run_id, pupil_id) is unique, both inside one transaction.
   */
  async reserveSeat(schoolId: string, runId: string, pupilId: string): Promise<'ok' | 'full' | 'already'> {
    return this.ds.transaction(async (em) => {
      const inserted = await em.query(
        `INSERT INTO run_passengers (school_id, run_id, pupil_id)
         VALUES ($1, $2, $3)
         ON CONFLICT (run_id, pupil_id) DO NOTHING
         RETURNING pupil_id`,
        [schoolId, runId, pupilId],
      );
      if (inserted.length === 0) return 'already';

      const [, affected] = await em.query(
        `UPDATE minibus_runs
            SET seats_taken = seats_taken + 1
          WHERE id = $1 AND school_id = $2 AND seats_taken < seat_capacity`,
        [runId, schoolId],
      );
      if (affected !== 1) {
        // Roll back the passenger row as well.
        throw new RunFullError(runId);
      }
      return 'ok';
    }).catch((err) => {
      if (err instanceof RunFullError) return 'full' as const;
      throw err;
    });
  }

  async passengersForRun(schoolId: string, runId: string) {
    // A run is a single minibus: at most 16 seats.
    return this.ds.getRepository(RunPassenger).find({
      where: { schoolId, runId },
      relations: { pupil: true },
      order: { pupil: { surname: 'ASC' } },
      take: 20,
    });
  }
}

class RunFullError extends Error {
  constructor(runId: string) {
    super(`run ${runId} is full`);
  }
}
