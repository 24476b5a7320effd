// app/layout.jsx — customer portal for curbside recycling pickups
import './globals.css';
import Link from 'next/link';

export const metadata = {
  title: 'GreenLoop Pickups',
  description: 'Schedule bulky-item and recycling pickups in your neighbourhood',
};

async function getServiceAlerts() {
  // ops dashboard publishes route delays (storms, truck breakdowns)
  const res = await fetch(`${process.env.OPS_API_URL}/public/alerts?active=1`, {
    cache: 'no-store',
  });
  if (!res.ok) return [];
  return res.json();
}

export default async function RootLayout({ children }) {
  const alerts = await getServiceAlerts();

  return (
    <html lang="en">
      <head>
        <script src="https://cdn.tailwindcss.com?plugins=forms"></script>
        <script
          dangerouslySetInnerHTML={{
            __html: `tailwind.config = { theme: { extend: { colors: { brand: '#2f855a' } } } }`,
          }}
        />
      </head>
      <body className="min-h-screen bg-gray-50 text-gray-900">
        <header className="bg-brand text-white">
          <nav className="mx-auto flex max-w-5xl items-center justify-between p-4">
            <Link href="/" className="text-lg font-semibold">GreenLoop</Link>
            <div className="space-x-4 text-sm">
              <Link href="/schedule">Book a pickup</Link>
              <Link href="/calendar">Collection calendar</Link>
              <Link href="/account">My account</Link>
            </div>
          </nav>
        </header>

        {alerts.length > 0 && (
          <div className="bg-amber-100 px-4 py-2 text-sm text-amber-900">
            {alerts.map((a) => (
              <p key={a.id}>
                <strong>{a.zone}:</strong> {a.message}
              </p>
            ))}
          </div>
        )}

        <main className="mx-auto max-w-5xl p-4">{children}</main>

        <footer className="mt-12 border-t p-4 text-center text-xs text-gray-500">
          © {new Date().getFullYear()} GreenLoop Municipal Services
        </footer>
      </body>
    </html>
  );
}
