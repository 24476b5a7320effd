import { Body, ConflictException, Controller, Param, Post } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

@Controller('shows/:showId/seats')
export class SeatsController {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  @Post(':seatId/reserve')
  async reserve(@Param('showId') showId: string, @Param('seatId') seatId: string, @Body() body: { userId: string }) {
    const [seat] = await this.db.query('SELECT reserved_by FROM show_seats WHERE show_id = $1 AND seat_id = $2', [
      showId,
      seatId,
    ]);
    if (seat?.reserved_by) {
      throw new ConflictException('seat already reserved');
    }
    await this.db.query('UPDATE show_seats SET reserved_by = $1, reserved_at = now() WHERE show_id = $2 AND seat_id = $3', [
      body.userId,
      showId,
      seatId,
    ]);
    return { ok: true };
  }

  @Post(':seatId/reserve-safe')
  async reserveSafe(@Param('showId') showId: string, @Param('seatId') seatId: string, @Body() body: { userId: string }) {
    const result = await this.db.query(
      'UPDATE show_seats SET reserved_by = $1, reserved_at = now() WHERE show_id = $2 AND seat_id = $3 AND reserved_by IS NULL RETURNING seat_id',
      [body.userId, showId, seatId],
    );
    if (result[0].length === 0) throw new ConflictException('seat already reserved');
    return { ok: true };
  }
}
