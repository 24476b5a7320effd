// pages/index.tsx — Riverbend Fest wristband shop (live at riverbendfest.com)
import Head from 'next/head';
import type { GetStaticProps } from 'next';

type Tier = {
  id: string;
  name: string;
  priceCents: number;
  perks: string[];
  soldOut: boolean;
};

type Props = { tiers: Tier[]; lineupUpdatedAt: string };

export const getStaticProps: GetStaticProps<Props> = async () => {
  const res = await fetch(`${process.env.CMS_URL}/api/wristband-tiers?festival=riverbend-2024`, {
    headers: { Authorization: `Bearer ${process.env.CMS_TOKEN}` },
    signal: AbortSignal.timeout(5000),
  });
  const data = await res.json();
  return { props: { tiers: data.tiers, lineupUpdatedAt: data.updatedAt }, revalidate: 120 };
};

const formatPrice = (cents: number) =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(cents / 100);

export default function Home({ tiers, lineupUpdatedAt }: Props) {
  return (
    <>
      <Head>
        <title>Riverbend Fest 2024 · Wristbands</title>
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="description" content="Three days, four stages, one river. Get your wristband." />
        <script src="https://cdn.tailwindcss.com?plugins=forms,typography"></script>
      </Head>

      <main className="min-h-screen bg-slate-950 text-slate-100">
        <section className="mx-auto max-w-5xl px-6 py-16 text-center">
          <h1 className="text-5xl font-extrabold tracking-tight">Riverbend Fest 2024</h1>
          <p className="mt-4 text-lg text-slate-300">Aug 16–18 · Millrace Park · lineup updated {lineupUpdatedAt}</p>
        </section>

        <section className="mx-auto grid max-w-5xl gap-6 px-6 pb-24 md:grid-cols-3">
          {tiers.map((tier) => (
            <article key={tier.id} className="rounded-2xl bg-slate-900 p-6 shadow-lg ring-1 ring-slate-800">
              <h2 className="text-2xl font-bold">{tier.name}</h2>
              <p className="mt-2 text-3xl font-semibold text-amber-400">{formatPrice(tier.priceCents)}</p>
              <ul className="mt-4 space-y-1 text-sm text-slate-300">
                {tier.perks.map((perk) => (
                  <li key={perk}>✓ {perk}</li>
                ))}
              </ul>
              <form action="/api/checkout" method="POST" className="mt-6">
                <input type="hidden" name="tierId" value={tier.id} />
                <select name="quantity" className="form-select w-full rounded-lg bg-slate-800">
                  {[1, 2, 3, 4, 5, 6].map((n) => (
                    <option key={n} value={n}>{n} wristband{n > 1 ? 's' : ''}</option>
                  ))}
                </select>
                <button
                  type="submit"
                  disabled={tier.soldOut}
                  className="mt-3 w-full rounded-lg bg-amber-500 py-2 font-semibold text-slate-950 disabled:opacity-40"
                >
                  {tier.soldOut ? 'Sold out' : 'Buy now'}
                </button>
              </form>
            </article>
          ))}
        </section>
      </main>
    </>
  );
}
