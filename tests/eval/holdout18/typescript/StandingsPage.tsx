// pages/leagues/[slug]/standings.tsx
import Head from 'next/head';
import type { GetServerSideProps } from 'next';
import { prisma } from '../../../lib/prisma';

type Row = {
  team_id: number;
  team_name: string;
  played: number;
  wins: number;
  losses: number;
  points_for: number;
  points_against: number;
};

type Props = { league: { name: string; season: number }; rows: Row[] };

export default function Standings({ league, rows }: Props) {
  return (
    <>
      <Head>
        <title>{`${league.name} standings ${league.season}`}</title>
        <script src="https://cdn.tailwindcss.com"></script>
      </Head>
      <main className="max-w-3xl mx-auto p-6">
        <h1 className="text-3xl font-bold mb-4">{league.name} - {league.season} season</h1>
        <table className="w-full text-left border-collapse">
          <thead>
            <tr className="border-b">
              <th>Team</th><th>P</th><th>W</th><th>L</th><th>PF</th><th>PA</th><th>Diff</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.team_id} className="border-b odd:bg-gray-50">
                <td className="py-2 font-medium">{r.team_name}</td>
                <td>{r.played}</td>
                <td>{r.wins}</td>
                <td>{r.losses}</td>
                <td>{r.points_for}</td>
                <td>{r.points_against}</td>
                <td>{r.points_for - r.points_against}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </main>
    </>
  );
}

export const getServerSideProps: GetServerSideProps<Props> = async ({ params, query }) => {
  const league = await prisma.league.findUnique({ where: { slug: String(params!.slug) } });
  if (!league) return { notFound: true };
  const season = Number(query.season) || league.currentSeason;

  // points come from the jam-by-jam scores so corrections show up immediately
  const rows = await prisma.$queryRaw<Row[]>`
    SELECT t.id AS team_id, t.name AS team_name,
           COUNT(DISTINCT b.id)::int AS played,
           COUNT(DISTINCT b.id) FILTER (WHERE b.winner_team_id = t.id)::int AS wins,
           COUNT(DISTINCT b.id) FILTER (WHERE b.winner_team_id <> t.id)::int AS losses,
           COALESCE(SUM(j.points) FILTER (WHERE j.team_id = t.id), 0)::int AS points_for,
           COALESCE(SUM(j.points) FILTER (WHERE j.team_id <> t.id), 0)::int AS points_against
      FROM teams t
      JOIN bouts b ON (b.home_team_id = t.id OR b.away_team_id = t.id) AND b.final
      JOIN jam_scores j ON j.bout_id = b.id
     WHERE t.league_id = ${league.id} AND b.season = ${season}
     GROUP BY t.id, t.name
     ORDER BY wins DESC, (COALESCE(SUM(j.points) FILTER (WHERE j.team_id = t.id), 0)
                        - COALESCE(SUM(j.points) FILTER (WHERE j.team_id <> t.id), 0)) DESC`;

  return { props: { league: { name: league.name, season }, rows } };
};
