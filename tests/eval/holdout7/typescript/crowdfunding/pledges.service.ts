import {
  BadRequestException,
  ConflictException,
  Injectable,
  Logger,
  NotFoundException,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Campaign } from './entities/campaign.entity';
import { Pledge } from './entities/pledge.entity';
import { RewardTier } from './entities/reward-tier.entity';
import { PaymentsService } from '../payments/payments.service';
import { CreatePledgeDto } from './dto/create-pledge.dto';

@Injectable()
export class PledgesService {
  private readonly logger = new Logger(PledgesService.name);

  constructor(
    @InjectRepository(Campaign) private readonly campaigns: Repository<Campaign>,
    @InjectRepository(RewardTier) private readonly tiers: Repository<RewardTier>,
    @InjectRepository(Pledge) private readonly pledges: Repository<Pledge>,
    private readonly payments: PaymentsService,
  ) {}

  /**
   * Create a pledge for a campaign, optionally claiming a limited reward tier.
   * The card is authorized now and captured only if the campaign succeeds.
   */
  async createPledge(backerId: string, dto: CreatePledgeDto): Promise<Pledge> {
    const campaign = await this.campaigns.findOne({ where: { id: dto.campaignId } });
    if (!campaign) throw new NotFoundException('Campaign not found');
    if (campaign.endsAt < new Date() || campaign.status !== 'live') {
      throw new BadRequestException('Campaign is not accepting pledges');
    }

    let tier: RewardTier | null = null;
    if (dto.rewardTierId) {
      tier = await this.tiers.findOne({ where: { id: dto.rewardTierId, campaignId: campaign.id } });
      if (!tier) throw new NotFoundException('Reward tier not found');
      if (tier.limit !== null && tier.claimed >= tier.limit) {
        throw new ConflictException('This reward tier is sold out');
      }
      if (dto.amountCents < tier.minimumCents) {
        throw new BadRequestException(`Minimum pledge for this reward is ${tier.minimumCents}`);
      }
    }

    const authorization = await this.payments.authorize({
      customerId: backerId,
      amountCents: dto.amountCents,
      description: `Pledge to ${campaign.title}`,
    });

    const pledge = await this.pledges.save(
      this.pledges.create({
        campaignId: campaign.id,
        backerId,
        rewardTierId: tier?.id ?? null,
        amountCents: dto.amountCents,
        paymentAuthorizationId: authorization.id,
        status: 'authorized',
      }),
    );

    if (tier) {
      tier.claimed += 1;
      await this.tiers.save(tier);
    }

    // keep the progress bar numbers on the campaign row
    campaign.raisedCents += dto.amountCents;
    campaign.backerCount += 1;
    await this.campaigns.save(campaign);

    this.logger.log(`pledge ${pledge.id} created for campaign ${campaign.id}`);
    return pledge;
  }

  async listForBacker(backerId: string, page = 1): Promise<Pledge[]> {
    return this.pledges.find({
      where: { backerId },
      order: { createdAt: 'DESC' },
      skip: (page - 1) * 25,
      take: 25,
      relations: { campaign: true, rewardTier: true },
    });
  }
}
