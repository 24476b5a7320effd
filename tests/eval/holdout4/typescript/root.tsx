// app/root.tsx — Peoplebase HR portal
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import {
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  isRouteErrorResponse,
  useLoaderData,
  useRouteError,
} from '@remix-run/react';
import { getOptionalUser } from '~/session.server';
import { AppShell } from '~/components/AppShell';

export const meta: MetaFunction = () => [{ title: 'Peoplebase' }];

export const links: LinksFunction = () => [
  { rel: 'icon', href: '/favicon.ico' },
  { rel: 'preconnect', href: 'https://fonts.googleapis.com' },
  { rel: 'stylesheet', href: 'https://fonts.googleapis.com/css2?family=Inter:wght@400;500;600&display=swap' },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getOptionalUser(request);
  return json({
    user: user ? { id: user.id, name: user.displayName, role: user.role, companyName: user.company.name } : null,
    env: { SENTRY_DSN: process.env.PUBLIC_SENTRY_DSN ?? '' },
  });
}

function Document({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en" className="h-full bg-slate-50">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
        <script src="https://cdn.tailwindcss.com?plugins=forms,typography"></script>
        <script
          dangerouslySetInnerHTML={{
            __html: `tailwind.config = { theme: { extend: { colors: { brand: { 500: '#4f46e5', 600: '#4338ca' } } } } }`,
          }}
        />
      </head>
      <body className="h-full font-[Inter] text-slate-800">
        {children}
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

export default function App() {
  const { user, env } = useLoaderData<typeof loader>();
  return (
    <Document>
      <AppShell user={user}>
        <Outlet />
      </AppShell>
      <script dangerouslySetInnerHTML={{ __html: `window.ENV = ${JSON.stringify(env)}` }} />
    </Document>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const title = isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : 'Something went wrong';
  return (
    <Document>
      <main className="mx-auto max-w-lg p-12 text-center">
        <h1 className="text-2xl font-semibold text-brand-600">{title}</h1>
        <p className="mt-4 text-slate-600">Please refresh the page or contact your HR administrator.</p>
      </main>
    </Document>
  );
}
