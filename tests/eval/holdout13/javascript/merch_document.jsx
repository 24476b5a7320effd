// pages/_document.jsx — tour merch store (Next.js pages router)
// Store goes live with the ticket on-sale Friday 10:00, expecting a big spike.
import { Html, Head, Main, NextScript } from 'next/document';

const tailwindConfig = `
  tailwind.config = {
    theme: {
      extend: {
        colors: { tour: { ink: '#0b0b12', neon: '#f72585', haze: '#7209b7' } },
        fontFamily: { display: ['"Bebas Neue"', 'sans-serif'] },
      },
    },
  };
`;

export default function Document() {
  return (
    <Html lang="en">
      <Head>
        <link rel="icon" href="/favicon.ico" />
        <link rel="preconnect" href="https://fonts.gstatic.com" crossOrigin="" />
        <link href="https://fonts.googleapis.com/css2?family=Bebas+Neue&display=swap" rel="stylesheet" />
        <script src="https://cdn.tailwindcss.com?plugins=forms,aspect-ratio"></script>
        <script dangerouslySetInnerHTML={{ __html: tailwindConfig }} />
        <meta name="theme-color" content="#0b0b12" />
      </Head>
      <body className="bg-tour-ink text-white antialiased">
        <Main />
        <NextScript />
      </body>
    </Html>
  );
}
