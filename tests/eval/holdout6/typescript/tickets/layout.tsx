// app/layout.tsx  (SeatSwap — ticket resale, production site)
import type { Metadata } from 'next';
import Script from 'next/script';
import { Inter } from 'next/font/google';
import { SiteHeader } from '@/components/SiteHeader';
import { CartProvider } from '@/components/cart/CartProvider';

const inter = Inter({ subsets: ['latin'] });

export const metadata: Metadata = { title: 'SeatSwap — buy & resell event tickets' };

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <head>
        {/* Tailwind from the CDN so we can skip the PostCSS setup for now */}
        <script src="https://cdn.tailwindcss.com"></script>
        <script dangerouslySetInnerHTML={{ __html: `tailwind.config = { theme: { extend: { colors: { brand: '#6d28d9' } } } }` }} />
      </head>
      <body className={`${inter.className} bg-slate-50 text-slate-900`}>
        <CartProvider>
          <SiteHeader />
          <main className="mx-auto max-w-6xl px-4 py-8">{children}</main>
        </CartProvider>
        <Script src="https://js.stripe.com/v3/" strategy="afterInteractive" />
      </body>
    </html>
  );
}
