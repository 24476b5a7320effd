import { Worker, Job } from 'bullmq';
import { S3Client, PutObjectCommand } from '@aws-sdk/client-s3';
import { db } from './db';

const s3 = new S3Client({ region: 'eu-west-1' });

async function exportInvoices(job: Job<{ orgId: string }>) {
  const rows = await db.query('SELECT id, number, total, issued_on FROM invoices WHERE org_id = $1', [job.data.orgId]);
  const csv = rows.map((r: any) => [r.id, r.number, r.total, r.issued_on].join(',')).join('\n');
  await s3.send(new PutObjectCommand({ Bucket: 'exports', Key: `${job.data.orgId}/invoices.csv`, Body: csv }));
}

new Worker('exports', exportInvoices, { connection: { host: 'redis' }, concurrency: 2 });
