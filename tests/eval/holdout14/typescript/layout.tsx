// app/layout.tsx — Riverton parking permits portal (permits.riverton.gov)
import type { Metadata } from 'next';
import Script from 'next/script';
import Link from 'next/link';
import { CityHeader } from '@/components/CityHeader';
import { getResidentSession } from '@/lib/session';

export const metadata: Metadata = {
  title: 'Residential Parking Permits | City of Riverton',
  description: 'Apply for, renew and manage residential and visitor parking permits.',
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const session = await getResidentSession();

  return (
    <html lang="en">
      <head>
        <Script src="https://cdn.tailwindcss.com?plugins=forms" strategy="beforeInteractive" />
        <Script id="tw-config" strategy="beforeInteractive">
          {`tailwind.config = { theme: { extend: { colors: { civic: '#1d4f7a' } } } }`}
        </Script>
      </head>
      <body className="min-h-screen bg-slate-50 text-slate-900">
        <CityHeader />
        <nav className="bg-civic text-white">
          <div className="mx-auto flex max-w-5xl gap-6 px-4 py-3 text-sm">
            <Link href="/permits">My permits</Link>
            <Link href="/permits/apply">Apply</Link>
            <Link href="/visitor-passes">Visitor passes</Link>
            <Link href="/zones">Zone map</Link>
            {session ? <Link href="/account">{session.name}</Link> : <Link href="/login">Sign in</Link>}
          </div>
        </nav>
        <main className="mx-auto max-w-5xl px-4 py-8">{children}</main>
        <footer className="border-t py-6 text-center text-xs text-slate-500">
          City of Riverton Parking Services · 311 · parking@riverton.gov
        </footer>
      </body>
    </html>
  );
}
