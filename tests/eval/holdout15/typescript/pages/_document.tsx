// pages/_document.tsx  — snowpeak.com marketing + lift status site (Next 13, pages router)
import Document, { Html, Head, Main, NextScript, DocumentContext, DocumentInitialProps } from 'next/document';

const GA_ID = process.env.NEXT_PUBLIC_GA_ID;

class SnowpeakDocument extends Document {
  static async getInitialProps(ctx: DocumentContext): Promise<DocumentInitialProps> {
    const initialProps = await Document.getInitialProps(ctx);
    return { ...initialProps };
  }

  render() {
    return (
      <Html lang="en">
        <Head>
          <meta name="theme-color" content="#0b3d91" />
          <link rel="icon" href="/favicon.ico" />
          <link rel="preconnect" href="https://fonts.googleapis.com" />
          <link
            href="https://fonts.googleapis.com/css2?family=Montserrat:wght@400;600;800&display=swap"
            rel="stylesheet"
          />
          {/* tailwind for the lift status board + trail map pages */}
          <script src="https://cdn.tailwindcss.com?plugins=forms,typography"></script>
          <script
            dangerouslySetInnerHTML={{
              __html: `tailwind.config = { theme: { extend: { colors: { glacier: '#0b3d91', powder: '#e8f1ff' } } } }`,
            }}
          />
          {GA_ID && (
            <>
              <script async src={`https://www.googletagmanager.com/gtag/js?id=${GA_ID}`} />
              <script
                dangerouslySetInnerHTML={{
                  __html: `window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments);}gtag('js',new Date());gtag('config','${GA_ID}');`,
                }}
              />
            </>
          )}
        </Head>
        <body className="bg-powder font-sans antialiased">
          <Main />
          <NextScript />
        </body>
      </Html>
    );
  }
}

export default SnowpeakDocument;
