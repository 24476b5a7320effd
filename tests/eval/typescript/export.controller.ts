import { Controller, Get, Header, Post, Req, StreamableFile } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { stringify } from 'csv-stringify/sync';
import { DataSource } from 'typeorm';

@Controller('exports')
export class ExportController {
  constructor(
    private readonly dataSource: DataSource,
    @InjectQueue('exports') private readonly queue: Queue,
  ) {}

  @Get('customers.csv')
  @Header('Content-Type', 'text/csv')
  async customersCsv(@Req() req: any): Promise<StreamableFile> {
    const customers = await this.dataSource.query(
      'SELECT id, name, email, plan, created_at FROM customers WHERE account_id = $1 ORDER BY id',
      [req.user.accountId],
    );
    const lines: string[] = [];
    for (const c of customers) {
      const orders = await this.dataSource.query('SELECT count(*) FROM orders WHERE customer_id = $1', [c.id]);
      lines.push(stringify([[c.id, c.name, c.email, c.plan, c.created_at, orders[0].count]]));
    }
    return new StreamableFile(Buffer.from(lines.join('')));
  }

  @Post('invoices')
  async invoices(@Req() req: any) {
    const job = await this.queue.add('invoices-csv', { accountId: req.user.accountId });
    return { jobId: job.id, status: `/exports/jobs/${job.id}` };
  }
}
