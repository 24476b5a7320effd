// apps/api/src/tournaments/standings.controller.ts + standings.service.ts
import { Controller, Get, Param, ParseIntPipe, Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma/prisma.service';

type Standing = { playerId: number; name: string; rating: number; points: number; buchholz: number };

@Injectable()
export class StandingsService {
  constructor(private readonly prisma: PrismaService) {}

  async tournamentStandings(tournamentId: number): Promise<Standing[]> {
    const entrants = await this.prisma.registration.findMany({
      where: { tournamentId, withdrawn: false },
      include: { player: true },
    });

    const points = new Map<number, number>();
    const opponents = new Map<number, number[]>();

    for (const e of entrants) {
      const games = await this.prisma.game.findMany({
        where: { tournamentId, OR: [{ whiteId: e.playerId }, { blackId: e.playerId }], result: { not: null } },
        select: { whiteId: true, blackId: true, result: true },
      });
      let pts = 0;
      const opps: number[] = [];
      for (const g of games) {
        const asWhite = g.whiteId === e.playerId;
        opps.push(asWhite ? g.blackId : g.whiteId);
        if (g.result === '1/2-1/2') pts += 0.5;
        else if ((g.result === '1-0' && asWhite) || (g.result === '0-1' && !asWhite)) pts += 1;
      }
      points.set(e.playerId, pts);
      opponents.set(e.playerId, opps);
    }

    return entrants
      .map((e) => ({
        playerId: e.playerId,
        name: e.player.name,
        rating: e.player.rating,
        points: points.get(e.playerId) ?? 0,
        buchholz: (opponents.get(e.playerId) ?? []).reduce((s, o) => s + (points.get(o) ?? 0), 0),
      }))
      .sort((a, b) => b.points - a.points || b.buchholz - a.buchholz || b.rating - a.rating);
  }

  /** Club-wide all-time table shown on the homepage. */
  async allTimeLeaderboard() {
    return this.prisma.$queryRaw<{ player_id: number; name: string; games: bigint; score: number }[]>`
      SELECT p.id AS player_id, p.name,
             count(*) AS games,
             sum(CASE WHEN (g.result = '1-0' AND g.white_id = p.id) OR (g.result = '0-1' AND g.black_id = p.id) THEN 1
                      WHEN g.result = '1/2-1/2' THEN 0.5 ELSE 0 END) AS score
        FROM players p
        JOIN games g ON g.white_id = p.id OR g.black_id = p.id
       WHERE g.result IS NOT NULL
       GROUP BY p.id, p.name
       ORDER BY score DESC
       LIMIT 100`;
  }
}

@Controller()
export class StandingsController {
  constructor(private readonly standings: StandingsService) {}

  @Get('tournaments/:id/standings')
  standingsFor(@Param('id', ParseIntPipe) id: number) {
    return this.standings.tournamentStandings(id);
  }

  // homepage widget, hit on every page view
  @Get('leaderboard')
  leaderboard() {
    return this.standings.allTimeLeaderboard();
  }
}
