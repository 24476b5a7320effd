import Head from "next/head";
import type { GetServerSideProps } from "next";
import { prisma } from "../lib/prisma";

type LeaderRow = {
  memberId: number;
  displayName: string;
  tier: string;
  pointsThisMonth: number;
  visits: number;
};

type Props = { rows: LeaderRow[]; month: string };

export const getServerSideProps: GetServerSideProps<Props> = async () => {
  const now = new Date();
  const monthStart = new Date(now.getFullYear(), now.getMonth(), 1);

  const rows = await prisma.$queryRaw<LeaderRow[]>`
    SELECT m.id            AS "memberId",
           m.display_name  AS "displayName",
           m.tier          AS "tier",
           SUM(l.delta)::int AS "pointsThisMonth",
           COUNT(DISTINCT t.id)::int AS "visits"
      FROM members m
      JOIN points_ledger l ON l.member_id = m.id AND l.delta > 0
      LEFT JOIN transactions t ON t.member_id = m.id AND t.created_at >= ${monthStart}
     WHERE l.created_at >= ${monthStart}
     GROUP BY m.id, m.display_name, m.tier
     ORDER BY "pointsThisMonth" DESC
     LIMIT 100`;

  return {
    props: {
      rows,
      month: monthStart.toLocaleString("en-US", { month: "long", year: "numeric" }),
    },
  };
};

export default function Leaderboard({ rows, month }: Props) {
  return (
    <>
      <Head>
        <title>Top members – {month}</title>
        <script src="https://cdn.tailwindcss.com"></script>
      </Head>
      <main className="mx-auto max-w-3xl p-6">
        <h1 className="mb-4 text-2xl font-bold">Top members · {month}</h1>
        <table className="w-full text-left text-sm">
          <thead className="border-b text-gray-500">
            <tr>
              <th className="py-2">#</th>
              <th>Member</th>
              <th>Tier</th>
              <th className="text-right">Visits</th>
              <th className="text-right">Points</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={r.memberId} className="border-b last:border-0">
                <td className="py-2 text-gray-400">{i + 1}</td>
                <td className="font-medium">{r.displayName}</td>
                <td>
                  <span className="rounded bg-amber-100 px-2 py-0.5 text-xs uppercase">{r.tier}</span>
                </td>
                <td className="text-right">{r.visits}</td>
                <td className="text-right font-semibold">{r.pointsThisMonth.toLocaleString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </main>
    </>
  );
}
