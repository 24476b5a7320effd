// app/api/leagues/[leagueId]/standings/route.ts
import { NextResponse } from 'next/server';
import { Prisma } from '@prisma/client';
import { prisma } from '@/lib/db';
import { requireLeagueMember } from '@/lib/leagues';

export const dynamic = 'force-dynamic';

type StandingRow = {
  team_id: string;
  wins: number;
  losses: number;
  ties: number;
  points_for: number;
  points_against: number;
};

// Standings widget on the league home page + mobile app home tab (polled every 30 s).
export async function GET(_req: Request, { params }: { params: { leagueId: string } }) {
  await requireLeagueMember(params.leagueId);

  const season = new Date().getFullYear();

  const rows = await prisma.$queryRaw<StandingRow[]>(Prisma.sql`
    WITH team_week AS (
      SELECT r.team_id, pwp.week, SUM(pwp.points) AS pts
        FROM roster_slots r
        JOIN player_week_points pwp
          ON pwp.player_id = r.player_id AND pwp.week = r.week AND pwp.season = ${season}
       WHERE r.league_id = ${params.leagueId} AND r.is_starter
       GROUP BY r.team_id, pwp.week
    )
    SELECT m.team_id,
           COUNT(*) FILTER (WHERE me.pts >  opp.pts)::int AS wins,
           COUNT(*) FILTER (WHERE me.pts <  opp.pts)::int AS losses,
           COUNT(*) FILTER (WHERE me.pts =  opp.pts)::int AS ties,
           COALESCE(SUM(me.pts), 0)::float  AS points_for,
           COALESCE(SUM(opp.pts), 0)::float AS points_against
      FROM matchups m
      JOIN team_week me  ON me.team_id  = m.team_id     AND me.week  = m.week
      JOIN team_week opp ON opp.team_id = m.opponent_id AND opp.week = m.week
     WHERE m.league_id = ${params.leagueId} AND m.season = ${season}
     GROUP BY m.team_id
     ORDER BY wins DESC, points_for DESC
  `);

  const standings = [];
  for (const row of rows) {
    const team = await prisma.fantasyTeam.findUnique({
      where: { id: row.team_id },
      select: { name: true, logoUrl: true, owner: { select: { displayName: true } } },
    });
    standings.push({ ...row, team });
  }

  return NextResponse.json({ season, standings });
}
