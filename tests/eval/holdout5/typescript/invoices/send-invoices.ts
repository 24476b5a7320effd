// this works locally but on prod the "Send all" button gives a 504 for our bigger customers??
import { Router, Request, Response } from 'express';
import { Client } from 'pg';
import axios from 'axios';
import { renderInvoicePdf } from '../pdf/render-invoice'; // puppeteer, ~2s per invoice

const router = Router();

router.post('/accounts/:accountId/invoices/send-all', async (req: Request, res: Response) => {
  const db = new Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();

  const { rows: invoices } = await db.query(
    `SELECT * FROM invoices WHERE account_id = $1 AND status = 'open' ORDER BY due_date`,
    [req.params.accountId],
  );

  const results: { id: string; ok: boolean; error?: string }[] = [];
  for (const invoice of invoices) {
    const pdf = await renderInvoicePdf(invoice);
    let attempt = 0;
    let lastError: unknown;
    let sent = false;
    while (!sent && attempt < 5) {
      try {
        await axios.post(
          `${process.env.MAILER_URL}/send`,
          { to: invoice.billing_email, subject: `Invoice ${invoice.number}`, pdf: pdf.toString('base64') },
          { timeout: 15_000 },
        );
        sent = true;
      } catch (err) {
        lastError = err;
        attempt++;
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
    results.push({ id: invoice.id, ok: sent, error: sent ? undefined : String(lastError) });
  }

  await db.end();
  res.json({ sent: results.filter((r) => r.ok).length, failed: results.filter((r) => !r.ok) });
});

export default router;
