// app/layout.tsx — Hartwell & Rowe online sales
import type { Metadata } from 'next';
import Script from 'next/script';
import { Cormorant_Garamond, Inter } from 'next/font/google';
import './globals.css'; // Tailwind, compiled by PostCSS at build time
import { SiteHeader } from '@/components/SiteHeader';
import { SiteFooter } from '@/components/SiteFooter';

const serif = Cormorant_Garamond({ subsets: ['latin'], weight: ['500', '700'], variable: '--font-serif' });
const sans = Inter({ subsets: ['latin'], variable: '--font-sans' });

export const metadata: Metadata = {
  title: { default: 'Hartwell & Rowe — Online Auctions', template: '%s | Hartwell & Rowe' },
  description: 'Paintings, prints and sculpture. Live and timed online sales.',
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en" className={`${serif.variable} ${sans.variable}`}>
      <head>
        {/* lot image zoom/gallery styles (minified dist build) */}
        <link
          rel="stylesheet"
          href="https://cdn.jsdelivr.net/npm/photoswipe@5.4.4/dist/photoswipe.min.css"
          crossOrigin="anonymous"
        />
      </head>
      <body className="min-h-screen bg-stone-50 font-sans text-stone-900">
        <SiteHeader />
        <main className="mx-auto max-w-7xl px-4 py-8">{children}</main>
        <SiteFooter />
        <Script src="https://js.stripe.com/v3/" strategy="lazyOnload" />
        <Script
          src="https://plausible.io/js/script.js"
          data-domain="hartwellrowe.com"
          strategy="afterInteractive"
        />
      </body>
    </html>
  );
}
