// lib/bowlsStats.ts — season statistics for the bowls club home page and member cards.
// Used by app/page.tsx and app/members/[id]/page.tsx (Next.js, server components).
import "server-only";
import { redis } from "@/lib/redis";
import { sql } from "@/lib/db";

export type SeasonStats = {
  rinkHoursBooked: number;
  busiestRink: string | null;
  topMembers: { memberId: string; name: string; sessions: number }[];
  utilisationByWeekday: { weekday: number; pct: number }[];
};

export type MemberProfile = {
  id: string;
  name: string;
  handicap: number | null;
  memberSince: string;
  photoUrl: string | null;
};

const STATS_TTL_SECONDS = 600;
const memberCache = new Map<string, MemberProfile>();

async function computeSeasonStats(clubId: string, season: number): Promise<SeasonStats> {
  const [totals] = await sql`
    SELECT SUM(EXTRACT(EPOCH FROM (b.slot_end - b.slot_start)) / 3600)::int AS rink_hours,
           (SELECT g.name || ' rink ' || b2.rink
              FROM green_bookings b2 JOIN greens g ON g.id = b2.green_id
             WHERE b2.club_id = ${clubId} AND date_part('year', b2.slot_start) = ${season}
             GROUP BY g.name, b2.rink ORDER BY count(*) DESC LIMIT 1) AS busiest_rink
      FROM green_bookings b
     WHERE b.club_id = ${clubId} AND date_part('year', b.slot_start) = ${season}`;

  const topMembers = await sql`
    SELECT m.id AS "memberId", m.name, count(*)::int AS sessions
      FROM green_bookings b JOIN members m ON m.id = b.member_id
     WHERE b.club_id = ${clubId} AND date_part('year', b.slot_start) = ${season}
     GROUP BY m.id, m.name ORDER BY sessions DESC LIMIT 10`;

  const utilisation = await sql`
    SELECT extract(isodow FROM s.slot_start)::int AS weekday,
           round(100.0 * count(b.id) / nullif(count(*), 0), 1)::float AS pct
      FROM rink_slots s LEFT JOIN green_bookings b ON b.slot_id = s.id
     WHERE s.club_id = ${clubId} AND date_part('year', s.slot_start) = ${season}
     GROUP BY 1 ORDER BY 1`;

  return {
    rinkHoursBooked: totals?.rink_hours ?? 0,
    busiestRink: totals?.busiest_rink ?? null,
    topMembers: topMembers as unknown as SeasonStats["topMembers"],
    utilisationByWeekday: utilisation as unknown as SeasonStats["utilisationByWeekday"],
  };
}

export async function getSeasonStats(clubId: string, season = new Date().getFullYear()): Promise<SeasonStats> {
  const key = `bowls:stats:${clubId}:${season}`;
  const cached = await redis.get(key);
  if (cached) return JSON.parse(cached) as SeasonStats;

  const stats = await computeSeasonStats(clubId, season);
  await redis.set(key, JSON.stringify(stats), "EX", STATS_TTL_SECONDS);
  return stats;
}

export async function getMemberProfile(clubId: string, memberId: string): Promise<MemberProfile | null> {
  const hit = memberCache.get(`${clubId}:${memberId}`);
  if (hit) return hit;

  const [row] = await sql<MemberProfile[]>`
    SELECT id, name, handicap, to_char(joined_on, 'YYYY') AS "memberSince", photo_url AS "photoUrl"
      FROM members
     WHERE id = ${memberId} AND club_id = ${clubId}`;
  if (!row) return null;

  memberCache.set(`${clubId}:${memberId}`, row);
  return row;
}
