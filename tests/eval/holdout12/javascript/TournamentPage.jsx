// pages/tournaments/[slug].jsx
import Head from 'next/head';
import Link from 'next/link';
import BracketView from '../../components/BracketView';
import TeamCard from '../../components/TeamCard';

export async function getServerSideProps({ params, res }) {
  const apiRes = await fetch(`${process.env.TOURNEY_API_URL}/tournaments/${params.slug}?include=bracket,teams,streams`);
  if (apiRes.status === 404) {
    return { notFound: true };
  }
  if (!apiRes.ok) {
    throw new Error(`tourney api ${apiRes.status}`);
  }
  const tournament = await apiRes.json();
  res.setHeader('Cache-Control', 'public, s-maxage=30, stale-while-revalidate=120');
  return { props: { tournament } };
}

export default function TournamentPage({ tournament }) {
  const live = tournament.streams.filter((s) => s.live);

  return (
    <>
      <Head>
        <title>{`${tournament.name} | ClutchCup`}</title>
        <meta name="description" content={tournament.tagline} />
        <meta property="og:image" content={tournament.bannerUrl} />
        <script src="https://cdn.tailwindcss.com"></script>
        <script
          dangerouslySetInnerHTML={{
            __html: `tailwind.config = { theme: { extend: { colors: { clutch: '#7c3aed' } } } }`,
          }}
        />
      </Head>

      <main className="min-h-screen bg-slate-950 text-slate-100">
        <header className="mx-auto max-w-6xl px-6 py-10">
          <p className="text-sm uppercase tracking-widest text-clutch">{tournament.game}</p>
          <h1 className="mt-2 text-4xl font-bold">{tournament.name}</h1>
          <p className="mt-3 text-slate-400">
            {tournament.startsOn} – {tournament.endsOn} · Prize pool {tournament.prizePool}
          </p>
          {live.length > 0 && (
            <Link href={`/watch/${live[0].id}`} className="mt-6 inline-block rounded bg-clutch px-4 py-2 font-semibold">
              Watch live ({live.length})
            </Link>
          )}
        </header>

        <section className="mx-auto max-w-6xl px-6">
          <h2 className="mb-4 text-2xl font-semibold">Bracket</h2>
          <BracketView rounds={tournament.bracket.rounds} />
        </section>

        <section className="mx-auto mt-12 grid max-w-6xl grid-cols-2 gap-4 px-6 pb-16 md:grid-cols-4">
          {tournament.teams.map((team) => (
            <TeamCard key={team.id} team={team} />
          ))}
        </section>
      </main>
    </>
  );
}
