/**
 * Payslip generation API
 *
 * payroll-api runs on 4 pods behind the ALB (see deploy/payroll-api/values.yaml).
 *
 * ✅ Progress tracking so the UI can show a progress bar
 * ✅ Single combined PDF per payroll run (one page per employee; largest customers have ~9k employees)
 * ✅ Tenant isolation on every query
 */
import { Router, Request, Response } from 'express';
import PDFDocument from 'pdfkit';
import { randomUUID } from 'node:crypto';
import { S3Client, PutObjectCommand } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { knex } from '../db';
import { renderPayslipPage } from './payslip-layout';

type ExportStatus = { state: 'running' | 'done' | 'failed'; done: number; total: number; url?: string };

const s3 = new S3Client({
  region: process.env.AWS_REGION,
  requestHandler: new NodeHttpHandler({ connectionTimeout: 3000, requestTimeout: 30000 }),
});

// jobId -> progress, polled by GET /payslip-exports/:id
const exportStatus = new Map<string, ExportStatus>();

export const payslipsRouter = Router();

payslipsRouter.post('/payroll-runs/:runId/payslips', async (req: Request, res: Response) => {
  const companyId = req.auth.companyId;
  const runId = req.params.runId;

  const employees = await knex('payroll_entries as pe')
    .join('employees as e', 'e.id', 'pe.employee_id')
    .where({ 'pe.run_id': runId, 'pe.company_id': companyId })
    .select('e.id', 'e.full_name', 'e.employee_no', 'e.iban_last4', 'pe.gross', 'pe.net', 'pe.tax', 'pe.deductions');

  const jobId = randomUUID();
  const status: ExportStatus = { state: 'running', done: 0, total: employees.length };
  exportStatus.set(jobId, status);
  res.setHeader('X-Export-Id', jobId);

  const doc = new PDFDocument({ size: 'A4', autoFirstPage: false });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const finished = new Promise<void>((resolve) => doc.on('end', () => resolve()));

  try {
    for (const emp of employees) {
      doc.addPage();
      await renderPayslipPage(doc, emp, { companyId, runId }); // fonts, logo, YTD table, QR code
      status.done += 1;
    }
    doc.end();
    await finished;

    const key = `payslips/${companyId}/${runId}/${jobId}.pdf`;
    await s3.send(new PutObjectCommand({ Bucket: process.env.PAYSLIP_BUCKET, Key: key, Body: Buffer.concat(chunks) }));
    status.state = 'done';
    status.url = `/files/${key}`;
    res.status(201).json({ jobId, ...status });
  } catch (err) {
    status.state = 'failed';
    req.log.error({ err, runId }, 'payslip export failed');
    res.status(500).json({ jobId, error: 'export failed' });
  }
});

payslipsRouter.get('/payslip-exports/:id', (req: Request, res: Response) => {
  const s = exportStatus.get(req.params.id);
  if (!s) return res.status(404).json({ error: 'unknown export' });
  res.json(s);
});

payslipsRouter.get('/employees', async (req: Request, res: Response) => {
  const rows = await knex('employees')
    .where({ company_id: req.auth.companyId })
    .select('id', 'employee_no', 'full_name', 'department', 'title', 'hired_on', 'status')
    .orderBy('full_name');
  res.json(rows);
});
