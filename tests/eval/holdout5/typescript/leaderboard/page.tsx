// app/(game)/leaderboard/page.tsx
import { unstable_cache } from 'next/cache';
import Image from 'next/image';
import Link from 'next/link';
import { prisma } from '@/lib/prisma';
import styles from './leaderboard.module.css';

export const revalidate = 60;

type LeaderboardRow = {
  playerId: string;
  handle: string;
  avatarUrl: string | null;
  score: number;
};

// One shared result for every visitor; Next serves the cached copy and refreshes it in the
// background after 60s, so only one query runs per window instead of one per page view.
const getWeeklyLeaderboard = unstable_cache(
  async (seasonId: string): Promise<LeaderboardRow[]> =>
    prisma.$queryRaw<LeaderboardRow[]>`
      SELECT p.id AS "playerId", p.handle, p.avatar_url AS "avatarUrl", SUM(s.points)::int AS score
        FROM match_scores s
        JOIN players p ON p.id = s.player_id
       WHERE s.season_id = ${seasonId}
         AND s.recorded_at >= date_trunc('week', now())
       GROUP BY p.id, p.handle, p.avatar_url
       ORDER BY score DESC
       LIMIT 100`,
  ['weekly-leaderboard'],
  { revalidate: 60, tags: ['leaderboard'] },
);

const getActiveSeason = unstable_cache(
  async () => prisma.season.findFirst({ where: { active: true }, select: { id: true, name: true } }),
  ['active-season'],
  { revalidate: 300 },
);

export default async function LeaderboardPage() {
  const season = await getActiveSeason();
  if (!season) {
    return <p className={styles.empty}>No season is running right now.</p>;
  }
  const rows = await getWeeklyLeaderboard(season.id);

  return (
    <main className={styles.container}>
      <h1 className={styles.title}>{season.name} — this week</h1>
      <ol className={styles.list}>
        {rows.map((row, index) => (
          <li key={row.playerId} className={styles.row}>
            <span className={styles.rank}>{index + 1}</span>
            <Image
              src={row.avatarUrl ?? '/avatars/default.png'}
              alt=""
              width={32}
              height={32}
              className={styles.avatar}
            />
            <Link href={`/players/${row.handle}`} className={styles.handle}>
              {row.handle}
            </Link>
            <span className={styles.score}>{row.score.toLocaleString()}</span>
          </li>
        ))}
      </ol>
    </main>
  );
}
