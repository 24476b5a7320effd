import {
  Body,
  CanActivate,
  Controller,
  ExecutionContext,
  HttpException,
  HttpStatus,
  Injectable,
  Post,
  UseGuards,
} from '@nestjs/common';
import { Request } from 'express';
import { IsArray, IsDateString, IsString, ArrayMaxSize } from 'class-validator';
import { CostumeQuoteService } from './costume-quote.service';

// Public quote form for theatre costume hire. Am-dram societies request a
// quote for a set of costumes over their production dates; no login needed.
// Deployed as the `costume-api` Deployment (replicas: 3) behind the ALB.

const WINDOW_MS = 15 * 60 * 1000;
const MAX_QUOTES_PER_WINDOW = 5;

const quoteHits = new Map<string, number[]>();

@Injectable()
export class QuoteThrottleGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    const forwarded = (req.headers['x-forwarded-for'] as string | undefined)?.split(',')[0]?.trim();
    const clientIp = forwarded || req.socket.remoteAddress || 'unknown';

    const now = Date.now();
    const recent = (quoteHits.get(clientIp) ?? []).filter((t) => now - t < WINDOW_MS);
    if (recent.length >= MAX_QUOTES_PER_WINDOW) {
      throw new HttpException(
        'Too many quote requests — please try again in a few minutes.',
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
    recent.push(now);
    quoteHits.set(clientIp, recent);
    return true;
  }
}

export class QuoteRequestDto {
  @IsString()
  societyName!: string;

  @IsString()
  contactEmail!: string;

  @IsDateString()
  firstPerformance!: string;

  @IsDateString()
  lastPerformance!: string;

  @IsArray()
  @ArrayMaxSize(80)
  @IsString({ each: true })
  costumeIds!: string[];
}

@Controller('quotes')
export class CostumeQuoteController {
  constructor(private readonly quotes: CostumeQuoteService) {}

  @Post()
  @UseGuards(QuoteThrottleGuard)
  async requestQuote(@Body() dto: QuoteRequestDto) {
    const first = new Date(dto.firstPerformance);
    const last = new Date(dto.lastPerformance);
    if (last < first) {
      throw new HttpException('last performance is before the first', HttpStatus.BAD_REQUEST);
    }
    // Hire runs from the Monday of tech week to the Monday after closing night.
    const hireFrom = new Date(first);
    hireFrom.setDate(hireFrom.getDate() - ((hireFrom.getDay() + 6) % 7) - 7);
    const hireTo = new Date(last);
    hireTo.setDate(hireTo.getDate() + ((8 - hireTo.getDay()) % 7 || 7));

    const quote = await this.quotes.createQuote({
      societyName: dto.societyName,
      contactEmail: dto.contactEmail,
      costumeIds: dto.costumeIds,
      hireFrom,
      hireTo,
    });
    return { quoteId: quote.id, totalCents: quote.totalCents, validUntil: quote.validUntil };
  }
}
