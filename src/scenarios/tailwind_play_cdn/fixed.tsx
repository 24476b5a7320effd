// app/layout.tsx
import type { Metadata } from "next";
import type { ReactNode } from "react";
// Tailwind compiled at build time (PostCSS plugin): only the classes the app uses ship.
import "./globals.css";

export const metadata: Metadata = {
  title: "Fernhill Analytics",
  description: "Dashboards for small teams",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="bg-slate-50 text-slate-900 antialiased">{children}</body>
    </html>
  );
}
