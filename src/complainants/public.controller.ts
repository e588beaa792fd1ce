import { Controller, Get, Query, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import type { Request } from 'express';
import { clientAddress, Public } from '../common/auth.decorators';
import { PublicStatusService } from './public-status.service';

export class PublicStatusQuery {
  @IsString() @Length(1, 64)
  registerNumber: string;

  @IsString() @Length(1, 64)
  trackingCode: string;
}

/** What a complainant reaches without an account. */
@ApiTags('public')
@Public()
@Controller('public')
export class PublicController {
  constructor(private readonly status: PublicStatusService) {}

  @Get('status')
  lookup(@Query() query: PublicStatusQuery, @Req() req: Request) {
    return this.status.status(query.registerNumber, query.trackingCode, clientAddress(req));
  }
}
