import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { clientAddress, Public } from '../common/auth.decorators';
import { PublicStatusService, TrackedCaseFields } from './public-status.service';
import { SurveyService } from './survey.service';

export class PublicStatusQuery extends TrackedCaseFields {}

/** What a complainant reaches without an account. */
@ApiTags('public')
@Public()
@Controller('public')
export class PublicController {
  constructor(
    private readonly status: PublicStatusService,
    private readonly survey: SurveyService,
  ) {}

  @Get('status')
  lookup(@Query() query: PublicStatusQuery, @Req() req: Request) {
    return this.status.status(query.registerNumber, query.trackingCode, clientAddress(req));
  }

  /** The questionnaire behind a survey link; 410 once answered. */
  @Get('survey/:token')
  questionnaire(@Param('token') token: string, @Req() req: Request) {
    return this.survey.questionnaire(token, clientAddress(req));
  }

  /** `{ answers: { U1: 1-4, ... }, saran? }`, once per case. */
  @Post('survey/:token')
  @HttpCode(201)
  answer(
    @Param('token') token: string,
    @Body() body: { answers?: unknown; saran?: unknown },
    @Req() req: Request,
  ) {
    return this.survey.answer(token, body ?? {}, clientAddress(req));
  }
}
