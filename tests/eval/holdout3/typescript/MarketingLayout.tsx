// app/(marketing)/layout.tsx
// Layout for the public marketing pages (landing, pricing, changelog).
// Tailwind is loaded here so the marketing team can tweak classes without a rebuild.

import type { Metadata } from 'next';
import Link from 'next/link';
import { Inter } from 'next/font/google';
import { Analytics } from '@/components/Analytics';

const inter = Inter({ subsets: ['latin'], display: 'swap' });

export const metadata: Metadata = {
  title: 'Tidewater — Scheduling for field teams',
  description: 'Plan routes, dispatch crews and track jobs in real time.',
};

const navLinks = [
  { href: '/pricing', label: 'Pricing' },
  { href: '/customers', label: 'Customers' },
  { href: '/changelog', label: 'Changelog' },
  { href: '/docs', label: 'Docs' },
];

export default function MarketingLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en" className={inter.className}>
      <head>
        <script src="https://cdn.tailwindcss.com?plugins=forms,typography"></script>
        <script
          dangerouslySetInnerHTML={{
            __html: `tailwind.config = { theme: { extend: { colors: { brand: '#0e7490' } } } }`,
          }}
        />
      </head>
      <body className="min-h-screen bg-white text-slate-900 antialiased">
        <header className="border-b border-slate-200">
          <nav className="mx-auto flex max-w-6xl items-center justify-between px-6 py-4">
            <Link href="/" className="text-lg font-semibold text-brand">
              Tidewater
            </Link>
            <ul className="flex gap-6 text-sm">
              {navLinks.map((l) => (
                <li key={l.href}>
                  <Link href={l.href} className="hover:text-brand">
                    {l.label}
                  </Link>
                </li>
              ))}
            </ul>
            <Link href="/signup" className="rounded-md bg-brand px-4 py-2 text-sm font-medium text-white">
              Start free trial
            </Link>
          </nav>
        </header>
        <main>{children}</main>
        <footer className="mt-24 border-t border-slate-200 py-10 text-center text-sm text-slate-500">
          © {new Date().getFullYear()} Tidewater Labs
        </footer>
        <Analytics />
      </body>
    </html>
  );
}
