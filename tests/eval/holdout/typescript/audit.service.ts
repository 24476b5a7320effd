import { Injectable, Logger } from '@nestjs/common';
import { HttpService } from '@nestjs/axios';
import { firstValueFrom } from 'rxjs';

@Injectable()
export class AuditService {
  private readonly logger = new Logger(AuditService.name);

  constructor(private readonly http: HttpService) {}

  async record(event: Record<string, unknown>): Promise<void> {
    try {
      await firstValueFrom(this.http.post('https://audit.internal/events', event, { timeout: 3000 }));
    } catch (err) {
      this.logger.warn(`audit event dropped: ${(err as Error).message}`);
    }
  }

  async recordMany(events: Record<string, unknown>[]): Promise<void> {
    await firstValueFrom(this.http.post('https://audit.internal/events/batch', events, { timeout: 5000 }));
  }
}
