import { PageField, IsIsoInstant } from '../common/query-fields';
import { Body, Controller, Get, Param, Post, Put, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { AuthUser, clientAddress, CurrentUser, Roles } from '../common/auth.decorators';
import { InvalidInputError } from '../common/errors';
import { OutboxService } from '../mail/outbox.service';
import { NotificationsService } from '../notifications/notifications.service';
import { UnitsService } from '../units/units.service';
import { SlaSummaryService } from './sla-summary.service';
import { MAIL_RESENDERS, Scope } from '../common/access-policy';

export class SummaryQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  unitCode?: string;

  @ApiPropertyOptional({
    description:
      'awal periode: waktu ISO, atau tanggal (pukul 00.00 di zona unit); default 1 Januari tahun ini',
  })
  @IsOptional()
  @IsIsoInstant()
  from?: string;

  @ApiPropertyOptional({
    description:
      'akhir periode: waktu ISO (eksklusif), atau tanggal (sampai akhir hari itu di zona unit); default sekarang',
  })
  @IsOptional()
  @IsIsoInstant()
  to?: string;
}

export class OutboxQuery {
  @ApiPropertyOptional({ enum: ['PENDING', 'SENDING', 'SENT', 'FAILED', 'CANCELLED'] })
  @IsOptional()
  @IsIn(['PENDING', 'SENDING', 'SENT', 'FAILED', 'CANCELLED'])
  status?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  caseId?: string;

  @PageField()
  page?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  pageSize?: number;
}

export class UnitSettingsDto {
  @ApiProperty({ example: 480, description: 'jam buka, menit sejak tengah malam' })
  @IsInt()
  @Min(0)
  @Max(1440)
  officeOpen: number;

  @ApiProperty({ example: 960 })
  @IsInt()
  @Min(0)
  @Max(1440)
  officeClose: number;

  @ApiProperty({ example: 990 })
  @IsInt()
  @Min(0)
  @Max(1440)
  officeCloseFriday: number;

  @ApiProperty({ example: 20 })
  @IsInt()
  @Min(1)
  @Max(100)
  dueSoonPercent: number;

  @ApiProperty({ example: 2 })
  @IsInt()
  @Min(0)
  @Max(60)
  escalationGraceDays: number;

  @ApiPropertyOptional({
    example: 1,
    nullable: true,
    description: 'versi alur kerja untuk kasus baru unit ini; null: versi terbaru; tanpa field: tetap',
  })
  @IsOptional()
  @IsInt()
  workflowVersion?: number | null;

  @ApiPropertyOptional({
    nullable: true,
    description: 'alamat kantor, dicetak pada tanda terima dan lembar disposisi; tanpa field: tetap',
  })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  officeAddress?: string | null;
}

@ApiTags('sla')
@ApiBearerAuth()
@Controller()
export class SlaController {
  constructor(
    private readonly summary: SlaSummaryService,
    private readonly notifications: NotificationsService,
    private readonly outbox: OutboxService,
    private readonly units: UnitsService,
  ) {}

  @Get('sla/summary')
  async get(@CurrentUser() user: AuthUser, @Query() q: SummaryQuery) {
    return this.summary.summary(user, await this.summary.period(user, q));
  }

  @Get('notifications')
  list(@CurrentUser() user: AuthUser, @Query('unread') unread?: string) {
    return this.notifications.list(user, unread === 'true');
  }

  @Post('notifications/:id/read')
  read(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    return this.notifications.markRead(user, id);
  }

  @Get('outbox')
  outboxList(@CurrentUser() user: AuthUser, @Query() q: OutboxQuery) {
    return this.outbox.list(user, {
      status: q.status,
      caseId: q.caseId,
      page: q.page ?? 1,
      pageSize: q.pageSize ?? 50,
    });
  }

  @Get('outbox/:id')
  outboxGet(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    return this.outbox.get(user, id);
  }

  /** The recipients of a mail unmasked: audited, and for a complainant's mail only for those handling the case. */
  @Get('outbox/:id/recipient')
  outboxRecipient(@CurrentUser() user: AuthUser, @Param('id') id: string, @Req() req: Request) {
    return this.outbox.revealRecipient(user, id, clientAddress(req));
  }

  @Post('outbox/:id/resend')
  @Roles(...MAIL_RESENDERS)
  resend(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    return this.outbox.resend(user, id);
  }

  @Get('units/:code/settings')
  settings(@CurrentUser() user: AuthUser, @Param('code') code: string) {
    Scope.of(user).assertSees(code);
    return this.units.settings(code);
  }

  @Put('units/:code/settings')
  @Roles('ADMIN')
  putSettings(@Param('code') code: string, @Body() dto: UnitSettingsDto) {
    if (dto.officeClose <= dto.officeOpen)
      throw InvalidInputError.field('officeClose', 'harus setelah jam buka');
    if (dto.officeCloseFriday <= dto.officeOpen)
      throw InvalidInputError.field('officeCloseFriday', 'harus setelah jam buka');
    return this.units.putSettings(code, dto);
  }
}
