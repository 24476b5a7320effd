import {
  Body,
  ConflictException,
  Controller,
  Get,
  Injectable,
  NotFoundException,
  Param,
  ParseIntPipe,
  Patch,
  Post,
  Req,
  UseGuards,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Load, LoadStatus } from './entities/load.entity';
import { JwtAuthGuard } from '../auth/jwt-auth.guard';
import { BrokerRequest } from '../auth/types';
import { AssignCarrierDto, PostLoadDto } from './dto';

// Load: id, brokerageId, origin, destination, pickupDate, equipment, rateCents,
//       status (open | booked | in_transit | delivered | cancelled), carrierId, bookedAt, createdAt
// Every brokerage only sees its own loads.

@Injectable()
export class LoadsService {
  constructor(@InjectRepository(Load) private readonly loads: Repository<Load>) {}

  listForBrokerage(brokerageId: number) {
    return this.loads.find({
      where: { brokerageId },
      order: { createdAt: 'DESC' },
    });
  }

  async getLoad(id: number) {
    const load = await this.loads.findOne({ where: { id } });
    if (!load) throw new NotFoundException('load not found');
    return load;
  }

  postLoad(brokerageId: number, dto: PostLoadDto) {
    const load = this.loads.create({ ...dto, brokerageId, status: LoadStatus.Open });
    return this.loads.save(load);
  }

  async assignCarrier(brokerageId: number, loadId: number, carrierId: number) {
    const current = await this.loads.findOne({ where: { id: loadId, brokerageId } });
    if (!current) throw new NotFoundException('load not found');
    if (current.status !== LoadStatus.Open) {
      throw new ConflictException('load is already booked');
    }
    current.status = LoadStatus.Booked;
    current.carrierId = carrierId;
    current.bookedAt = new Date();
    return this.loads.save(current);
  }

  async cancelLoad(brokerageId: number, loadId: number) {
    const result = await this.loads.update(
      { id: loadId, brokerageId, status: LoadStatus.Open },
      { status: LoadStatus.Cancelled },
    );
    if (!result.affected) {
      throw new ConflictException('only open loads can be cancelled');
    }
  }
}

@Controller('loads')
@UseGuards(JwtAuthGuard)
export class LoadsController {
  constructor(private readonly service: LoadsService) {}

  @Get()
  list(@Req() req: BrokerRequest) {
    return this.service.listForBrokerage(req.user.brokerageId);
  }

  @Get(':id')
  get(@Param('id', ParseIntPipe) id: number) {
    return this.service.getLoad(id);
  }

  @Post()
  create(@Req() req: BrokerRequest, @Body() dto: PostLoadDto) {
    return this.service.postLoad(req.user.brokerageId, dto);
  }

  @Post(':id/assign')
  assign(@Req() req: BrokerRequest, @Param('id', ParseIntPipe) id: number, @Body() dto: AssignCarrierDto) {
    return this.service.assignCarrier(req.user.brokerageId, id, dto.carrierId);
  }

  @Patch(':id/cancel')
  async cancel(@Req() req: BrokerRequest, @Param('id', ParseIntPipe) id: number) {
    await this.service.cancelLoad(req.user.brokerageId, id);
    return { ok: true };
  }
}
