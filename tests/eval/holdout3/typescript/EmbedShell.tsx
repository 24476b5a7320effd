// src/embed/EmbedShell.tsx
// HTML shell for the booking widget that customers embed via <iframe>.
// Rendered with renderToStaticMarkup by the embed server. React is loaded from
// the CDN (pinned production UMD build + SRI) so the widget bundle stays small;
// CSS is our compiled, hashed Tailwind output from the build step.

import * as React from 'react';
import manifest from '../../dist/embed/manifest.json';

type EmbedShellProps = {
  tenantSlug: string;
  locale: string;
  theme: 'light' | 'dark';
  nonce: string;
};

const REACT_VERSION = '18.3.1';

export function EmbedShell({ tenantSlug, locale, theme, nonce }: EmbedShellProps) {
  const config = JSON.stringify({ tenantSlug, locale, theme }).replace(/</g, '\\u003c');

  return (
    <html lang={locale} data-theme={theme}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>Book an appointment</title>
        <link rel="stylesheet" href={`/static/embed/${manifest['embed.css']}`} />
        <script
          crossOrigin="anonymous"
          src={`https://unpkg.com/react@${REACT_VERSION}/umd/react.production.min.js`}
          integrity="sha384-DGyLxAyjq0f9SPpVevD6IgztCFlnMF6oW/XQGmfe+IsZ8TqEiDrcHkMLKI6fiB/Z"
        />
        <script
          crossOrigin="anonymous"
          src={`https://unpkg.com/react-dom@${REACT_VERSION}/umd/react-dom.production.min.js`}
          integrity="sha384-gTGxhz21lVGYNMcdJOyq01Edg0jhn/c22nsx0kyqP0TxaV5WVdsSH1fSDUf5YJj1"
        />
      </head>
      <body className="bg-transparent font-sans text-sm">
        <div id="booking-root" />
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: `window.__BOOKING__ = ${config};` }} />
        <script defer nonce={nonce} src={`/static/embed/${manifest['embed.js']}`} />
      </body>
    </html>
  );
}

export default EmbedShell;
