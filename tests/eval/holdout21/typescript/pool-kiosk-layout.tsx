// app/(kiosk)/layout.tsx — lobby screens at the three municipal pools.
// The screens show live lane occupancy; the layout is shared by /kiosk/[poolId].
import type { Metadata, Viewport } from 'next';
import { Inter } from 'next/font/google';

const inter = Inter({ subsets: ['latin'], display: 'swap' });

export const metadata: Metadata = {
  title: 'Lane availability — City Pools',
  description: 'Live lane occupancy for the municipal swimming pools',
  robots: { index: false, follow: false },
};

export const viewport: Viewport = {
  width: 1920,
  initialScale: 1,
  themeColor: '#0369a1',
};

export default function KioskLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en" className={inter.className}>
      <head>
        <script src="https://cdn.tailwindcss.com"></script>
        <script
          dangerouslySetInnerHTML={{
            __html: `tailwind.config = { theme: { extend: { colors: { lane: '#0ea5e9' } } } }`,
          }}
        />
        <link rel="icon" href="/favicon-pools.png" />
      </head>
      <body className="bg-slate-900 text-white min-h-screen">
        <header className="flex items-center justify-between px-10 py-6 border-b border-slate-700">
          <h1 className="text-4xl font-semibold tracking-tight">City Pools · Lane board</h1>
          <Clock />
        </header>
        <main className="px-10 py-8">{children}</main>
        <footer className="fixed bottom-0 inset-x-0 bg-sky-800 py-3">
          <p className="px-10 text-xl">Please shower before swimming · Lane 1 is reserved for aqua-fit 18:00–19:00</p>
        </footer>
      </body>
    </html>
  );
}

function Clock() {
  // server-rendered time; the page itself revalidates every 30 s
  const now = new Date();
  return (
    <time className="text-3xl tabular-nums" dateTime={now.toISOString()}>
      {now.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/London' })}
    </time>
  );
}

export const revalidate = 30;
