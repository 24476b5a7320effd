// pages/donate.tsx - St. Brigid's food bank donation page
import Head from 'next/head';
import { useState } from 'react';

const PRESETS = [10, 25, 50, 100];

export default function DonatePage() {
  const [amount, setAmount] = useState<number>(25);
  const [monthly, setMonthly] = useState(false);
  const [loading, setLoading] = useState(false);

  async function donate() {
    setLoading(true);
    try {
      const res = await fetch('/api/donations/checkout', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ amountCents: amount * 100, monthly }),
      });
      const { url } = await res.json();
      window.location.href = url;
    } finally {
      setLoading(false);
    }
  }

  return (
    <>
      <Head>
        <title>Donate | St. Brigid's Food Bank</title>
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <script src="https://cdn.tailwindcss.com"></script>
      </Head>
      <main className="mx-auto max-w-xl px-4 py-12">
        <h1 className="text-3xl font-bold text-emerald-800">Feed a family this winter</h1>
        <p className="mt-2 text-gray-600">Every $25 provides a week of groceries for a family of four.</p>

        <div className="mt-8 grid grid-cols-4 gap-3">
          {PRESETS.map((p) => (
            <button
              key={p}
              onClick={() => setAmount(p)}
              className={`rounded-lg border px-4 py-3 text-lg ${amount === p ? 'border-emerald-600 bg-emerald-50' : 'border-gray-300'}`}
            >
              ${p}
            </button>
          ))}
        </div>

        <label className="mt-6 flex items-center gap-2">
          <input type="checkbox" checked={monthly} onChange={(e) => setMonthly(e.target.checked)} />
          Make this a monthly gift
        </label>

        <button
          disabled={loading}
          onClick={donate}
          className="mt-8 w-full rounded-lg bg-emerald-700 py-3 font-semibold text-white disabled:opacity-50"
        >
          {loading ? 'Redirecting…' : `Donate $${amount}${monthly ? ' / month' : ''}`}
        </button>
      </main>
    </>
  );
}
