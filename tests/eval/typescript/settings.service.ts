import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Repository } from 'typeorm';
import { InjectRepository } from '@nestjs/typeorm';
import { UserSetting } from './user-setting.entity';

@Injectable()
export class SettingsService {
  private readonly logger = new Logger(SettingsService.name);

  constructor(
    @InjectRepository(UserSetting) private readonly repo: Repository<UserSetting>,
    private readonly config: ConfigService,
  ) {}

  async getTheme(userId: string): Promise<string> {
    try {
      const s = await this.repo.findOneBy({ userId, key: 'theme' });
      return s?.value ?? 'system';
    } catch {
      return 'system';
    }
  }

  async save(userId: string, key: string, value: string): Promise<void> {
    try {
      await this.repo.upsert({ userId, key, value }, ['userId', 'key']);
    } catch (err) {
      this.logger.error(`saving setting ${key} for ${userId} failed`, err as Error);
      throw err;
    }
  }
}
