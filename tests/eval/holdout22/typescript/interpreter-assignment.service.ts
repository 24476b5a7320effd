// src/assignments/interpreter-assignment.service.ts
// Interpreting agencies (tenants) publish requests; freelance interpreters
// accept them from the app. The first interpreter to accept gets the job.

import { ConflictException, Injectable, Logger } from "@nestjs/common";
import { HttpService } from "@nestjs/axios";
import { InjectDataSource } from "@nestjs/typeorm";
import { DataSource } from "typeorm";
import { firstValueFrom } from "rxjs";

export interface OpenRequest {
  id: string;
  language: "BSL" | "ISL" | "DGS";
  setting: string;
  startsAt: Date;
  durationMinutes: number;
  postcodeArea: string;
}

@Injectable()
export class InterpreterAssignmentService {
  private readonly logger = new Logger(InterpreterAssignmentService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly http: HttpService, // HttpModule.register({ timeout: 5000 })
  ) {}

  async openRequests(agencyId: string, language: string, after?: Date, limit = 30): Promise<OpenRequest[]> {
    return this.db.query(
      `SELECT id, language, setting, starts_at AS "startsAt",
              duration_minutes AS "durationMinutes", postcode_area AS "postcodeArea"
         FROM interpreter_requests
        WHERE agency_id = $1 AND language = $2 AND status = 'OPEN'
          AND starts_at > coalesce($3, now())
        ORDER BY starts_at
        LIMIT $4`,
      [agencyId, language, after ?? null, Math.min(limit, 100)],
    );
  }

  async accept(agencyId: string, requestId: string, interpreterId: string): Promise<{ requestId: string }> {
    // Single conditional UPDATE: only an OPEN request of this agency flips to
    // ASSIGNED, so two interpreters accepting at once cannot both win.
    const rows: Array<{ id: string; requester_webhook: string | null }> = await this.db.query(
      `UPDATE interpreter_requests
          SET status = 'ASSIGNED', interpreter_id = $3, assigned_at = now()
        WHERE id = $2 AND agency_id = $1 AND status = 'OPEN'
        RETURNING id, requester_webhook`,
      [agencyId, requestId, interpreterId],
    );
    if (rows.length === 0) {
      throw new ConflictException("This request has already been taken.");
    }

    const hook = rows[0].requester_webhook;
    if (hook) {
      try {
        await firstValueFrom(
          this.http.post(
            hook,
            { requestId, status: "ASSIGNED" },
            { timeout: 5000, headers: { "Idempotency-Key": `assigned:${requestId}` } },
          ),
        );
      } catch (err) {
        this.logger.error(`requester notification failed for ${requestId}`, (err as Error).stack);
        throw err;
      }
    }
    return { requestId };
  }

  async release(agencyId: string, requestId: string, interpreterId: string): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE interpreter_requests
          SET status = 'OPEN', interpreter_id = NULL, assigned_at = NULL
        WHERE id = $2 AND agency_id = $1 AND interpreter_id = $3 AND status = 'ASSIGNED'
        RETURNING id`,
      [agencyId, requestId, interpreterId],
    );
    return rows.length === 1;
  }
}
