// app/layout.tsx — root layout for the coracle-building course site
// (weekend courses: split ash laths, weave the seat, tar the calico skin,
// first paddle on the river on Sunday afternoon).
import type { Metadata } from 'next';
import Link from 'next/link';
import { Inter } from 'next/font/google';
import { CourseCountdown } from '@/components/CourseCountdown';

const inter = Inter({ subsets: ['latin'], display: 'swap' });

export const metadata: Metadata = {
  title: {
    default: 'Teifi Coracle Courses',
    template: '%s · Teifi Coracle Courses',
  },
  description: 'Build and paddle your own traditional Welsh coracle in a weekend.',
  openGraph: {
    type: 'website',
    images: ['/og/coracle-on-river.jpg'],
  },
};

const nav = [
  { href: '/courses', label: 'Courses & places' },
  { href: '/what-to-bring', label: 'What to bring' },
  { href: '/gallery', label: 'Gallery' },
  { href: '/contact', label: 'Contact' },
];

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en-GB" className={inter.className}>
      <head>
        <script src="https://cdn.tailwindcss.com?plugins=forms,typography"></script>
        <script
          dangerouslySetInnerHTML={{
            __html: `tailwind.config = { theme: { extend: { colors: { river: '#2f5d62', tar: '#1f1d1a', ash: '#e8dcc4' } } } }`,
          }}
        />
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
      </head>
      <body className="min-h-screen bg-ash text-tar antialiased">
        <header className="border-b border-tar/10 bg-white/80 backdrop-blur">
          <div className="mx-auto flex max-w-5xl items-center justify-between px-4 py-3">
            <Link href="/" className="text-lg font-semibold text-river">
              Teifi Coracle Courses
            </Link>
            <nav aria-label="Main">
              <ul className="flex gap-5 text-sm">
                {nav.map((item) => (
                  <li key={item.href}>
                    <Link href={item.href} className="hover:text-river hover:underline">
                      {item.label}
                    </Link>
                  </li>
                ))}
              </ul>
            </nav>
          </div>
        </header>

        <div className="bg-river px-4 py-2 text-center text-sm text-ash">
          <CourseCountdown label="Next course starts in" />
        </div>

        <main className="mx-auto max-w-5xl px-4 py-10">{children}</main>

        <footer className="border-t border-tar/10 py-6 text-center text-xs text-tar/70">
          <p>Courses run April to September on the Afon Teifi, Cenarth.</p>
          <p>Buoyancy aids provided. Participants must be able to swim 25 m.</p>
        </footer>
      </body>
    </html>
  );
}
