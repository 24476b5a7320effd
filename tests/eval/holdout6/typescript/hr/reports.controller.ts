// src/reports/reports.controller.ts
// HR dashboard endpoints. The dashboard landing page polls payroll-summary every 30s
// for every logged-in HR user; payslip_lines is ~40M rows across all companies.
import { Controller, Get, Query, Req, UseGuards } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { JwtAuthGuard } from '../auth/jwt-auth.guard';
import { RolesGuard, Roles } from '../auth/roles';
import { TimeEntry } from '../timesheets/time-entry.entity';

@Controller('reports')
@UseGuards(JwtAuthGuard, RolesGuard)
@Roles('HR_ADMIN')
export class ReportsController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(TimeEntry) private readonly timeEntries: Repository<TimeEntry>,
  ) {}

  /** Headcount and year-to-date gross pay per department. */
  @Get('payroll-summary')
  async payrollSummary(@Req() req) {
    const companyId = req.user.companyId;
    return this.dataSource.query(
      `SELECT d.name AS department,
              count(DISTINCT e.id) AS headcount,
              sum(pl.amount_cents) AS gross_cents,
              avg(pl.amount_cents) AS avg_line_cents
         FROM employees e
         JOIN departments d ON d.id = e.department_id
         JOIN payslips p ON p.employee_id = e.id
         JOIN payslip_lines pl ON pl.payslip_id = p.id AND pl.kind = 'GROSS'
        WHERE e.company_id = $1
          AND p.period_start >= date_trunc('year', now())
        GROUP BY d.name
        ORDER BY gross_cents DESC`,
      [companyId],
    );
  }

  /** Turnover per month, read from the nightly rollup table. */
  @Get('turnover')
  async turnover(@Req() req, @Query('year') year?: string) {
    const y = Number(year) || new Date().getFullYear();
    try {
      return await this.dataSource.query(
        `SELECT month, hires, leavers, avg_headcount
           FROM turnover_monthly
          WHERE company_id = $1 AND month >= make_date($2, 1, 1) AND month < make_date($2 + 1, 1, 1)
          ORDER BY month`,
        [req.user.companyId, y],
      );
    } catch (e) {
      return [];
    }
  }

  /** Time entries for the timesheet audit screen (all employees, newest first). */
  @Get('time-entries')
  async timeEntriesReport(@Req() req) {
    return this.timeEntries.find({
      where: { companyId: req.user.companyId },
      relations: { employee: true },
      order: { clockIn: 'DESC' },
    });
  }
}
