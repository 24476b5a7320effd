// src/loads/loads.controller.ts + loads.service.ts (pasted together)
import { Controller, Get, Param, ParseIntPipe, Query, Req, UseGuards, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { JwtAuthGuard } from '../auth/jwt-auth.guard';
import { Load } from './load.entity';       // loads: id, brokerage_id, carrier_id, origin, destination, status, rate_cents
import { Carrier } from '../carriers/carrier.entity';
import { AuthedRequest } from '../auth/types';

@Injectable()
export class LoadsService {
  constructor(
    @InjectRepository(Load) private readonly loads: Repository<Load>,
    @InjectRepository(Carrier) private readonly carriers: Repository<Carrier>,
  ) {}

  async listOpen(brokerageId: number, page = 1) {
    const items = await this.loads.find({
      where: { brokerageId, status: 'open' },
      order: { pickupAt: 'ASC' },
      take: 25,
      skip: (page - 1) * 25,
    });

    const result = [];
    for (const load of items) {
      const carrier = load.carrierId
        ? await this.carriers.findOne({ where: { id: load.carrierId }, select: ['id', 'name', 'mcNumber'] })
        : null;
      result.push({ ...load, carrier });
    }
    return result;
  }

  async getById(id: number) {
    const load = await this.loads.findOne({ where: { id }, relations: ['stops'] });
    if (!load) throw new NotFoundException();
    return load;
  }

  async countByStatus(brokerageId: number) {
    return this.loads
      .createQueryBuilder('l')
      .select('l.status', 'status')
      .addSelect('COUNT(*)', 'n')
      .where('l.brokerageId = :brokerageId', { brokerageId })
      .andWhere("l.createdAt > now() - interval '30 days'")
      .groupBy('l.status')
      .getRawMany();
  }
}

@Controller('loads')
@UseGuards(JwtAuthGuard)
export class LoadsController {
  constructor(private readonly service: LoadsService) {}

  @Get()
  list(@Req() req: AuthedRequest, @Query('page') page?: string) {
    return this.service.listOpen(req.user.brokerageId, Number(page) || 1);
  }

  @Get('summary')
  summary(@Req() req: AuthedRequest) {
    return this.service.countByStatus(req.user.brokerageId);
  }

  @Get(':id')
  get(@Param('id', ParseIntPipe) id: number) {
    return this.service.getById(id);
  }
}
