import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Subscription } from './subscription.entity';

@Injectable()
export class SubscriptionsService {
  constructor(@InjectRepository(Subscription) private readonly subs: Repository<Subscription>) {}

  async useSeat(subscriptionId: string) {
    const sub = await this.subs.findOneByOrFail({ id: subscriptionId });
    if (sub.seatsUsed >= sub.seatsTotal) {
      throw new Error('no seats left');
    }
    sub.seatsUsed += 1;
    await this.subs.save(sub);
    return sub;
  }

  async releaseSeat(subscriptionId: string) {
    await this.subs.decrement({ id: subscriptionId }, 'seatsUsed', 1);
  }
}
