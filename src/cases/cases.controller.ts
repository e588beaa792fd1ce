import { Body, Controller, Get, Headers, HttpCode, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';
import type { Request, Response } from 'express';
import { AuthUser, clientAddress, CurrentUser, Roles } from '../common/auth.decorators';
import { CaseEventsService, parseIfMatch } from './case-events.service';
import { CasesService } from './cases.service';
import { CaseNotesService } from './case-notes.service';
import { SurveyService } from '../complainants/survey.service';
import { CreateCaseDto } from './create-case.dto';
import { ListCasesQuery } from './list-cases.query';
import { REGISTRARS } from '../common/access-policy';

/** The optimistic version a write of a case may name (a stale one answers 409). */
const IfMatchHeader = () =>
  ApiHeader({ name: 'If-Match', required: false, description: 'versi kasus yang diharapkan, mis. "3"' });

/** A case answered with its version as the ETag, for the next write's If-Match. */
function withETag<T extends { version: number }>(res: Response, view: T): T {
  res.setHeader('ETag', `"${view.version}"`);
  return view;
}

export class SurveyInvitationDto {
  @ApiPropertyOptional({ description: 'pengadu yang memiliki surel meminta undangan cetak di loket' })
  @IsOptional()
  @IsBoolean()
  requestedAtDesk?: boolean;
}

@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases')
export class CasesController {
  constructor(
    private readonly cases: CasesService,
    private readonly events: CaseEventsService,
    private readonly survey: SurveyService,
    private readonly notes: CaseNotesService,
  ) {}

  @Post()
  @Roles(...REGISTRARS)
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'kunci unik dari klien: permintaan ulang dengan kunci yang sama dalam 24 jam menjawab kasus yang sama (200)',
  })
  // The body is checked by the service (CasesService.registration): with the codes it names, in one 400.
  @ApiBody({ type: CreateCaseDto })
  async create(
    @CurrentUser() user: AuthUser,
    @Body() body: Record<string, unknown>,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { view, replayed } = await this.cases.register(user, body, idempotencyKey);
    if (replayed) {
      res.status(200);
    }
    res.setHeader('Location', `/api/cases/${view.id}`);
    return withETag(res, view);
  }

  @Get()
  list(@CurrentUser() user: AuthUser, @Query() query: ListCasesQuery, @Req() req: Request) {
    return this.cases.list(user, query, clientAddress(req));
  }

  @Get(':id')
  async get(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Res({ passthrough: true }) res: Response,
  ) {
    const view = await this.cases.get(user, id);
    return withETag(res, view);
  }

  @Get(':id/deadline')
  deadline(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    return this.cases.deadline(user, id);
  }

  @Get(':id/history')
  history(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    return this.cases.history(user, id);
  }

  @Post(':id/events')
  @HttpCode(200)
  @IfMatchHeader()
  @ApiBody({
    schema: {
      type: 'object',
      required: ['type'],
      properties: { type: { type: 'string' }, occurredAt: { type: 'string', format: 'date-time' } },
    },
  })
  async event(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    // A plain object on purpose: each event type has its own payload class, validated in the service.
    @Body() body: Record<string, unknown>,
    @Headers('if-match') ifMatch: string | undefined,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const view = await this.events.apply(user, id, body ?? {}, parseIfMatch(ifMatch), clientAddress(req));
    return withETag(res, view);
  }

  /**
   * A unit head stops the reminders to one institution that has not answered, with the reason
   * (recorded on the dispatch, in the case's history and in the audit log).
   */
  @Post(':id/dispatches/:dispatchId/stop')
  @HttpCode(200)
  @IfMatchHeader()
  async stopReminders(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Param('dispatchId') dispatchId: string,
    // Validated in the service once the case is known to be the caller's to see (else 404).
    @Body() body: Record<string, unknown>,
    @Headers('if-match') ifMatch: string | undefined,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const view = await this.events.stopReminders(
      user,
      id,
      dispatchId,
      body ?? {},
      parseIfMatch(ifMatch),
      clientAddress(req),
    );
    return withETag(res, view);
  }

  /**
   * The unit's KASUBBID or KABID gives the case to one of the unit's officers (`userId`), or back to
   * the unit's shared queue (`null`); the history records who gave it from whom to whom.
   */
  @Put(':id/assignee')
  @IfMatchHeader()
  @ApiBody({
    schema: {
      type: 'object',
      required: ['userId'],
      properties: { userId: { type: 'string', nullable: true } },
    },
  })
  async assign(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    // Validated in the service once the case is known to be the caller's to see (else 404).
    @Body() body: Record<string, unknown>,
    @Headers('if-match') ifMatch: string | undefined,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const view = await this.events.assign(user, id, body ?? {}, parseIfMatch(ifMatch), clientAddress(req));
    return withETag(res, view);
  }

  /** An internal note of the unit's handling staff: in the case's timeline, never sent anywhere. */
  @Post(':id/notes')
  @ApiBody({ schema: { type: 'object', required: ['text'], properties: { text: { type: 'string' } } } })
  addNote(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() body: Record<string, unknown>) {
    return this.notes.add(user, id, body ?? {});
  }

  @Get(':id/notes')
  listNotes(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    return this.notes.list(user, id);
  }

  /** A new receipt with a new tracking code (the old code stops working), to print for the complainant. */
  @Post(':id/receipt')
  @HttpCode(200)
  receipt(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    return this.cases.reissueReceipt(user, id);
  }

  /**
   * A printable survey invitation for a closed case's complainant who has no email, or who asks
   * for one at the desk (`requestedAtDesk: true`, recorded); a new desk link replaces an unused one.
   */
  @Post(':id/survey-invitation')
  @HttpCode(200)
  async surveyInvitation(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Body() dto: SurveyInvitationDto,
    @Req() req: Request,
  ) {
    const row = await this.cases.findHandled(
      user,
      id,
      'Undangan survei hanya untuk petugas yang menangani kasus ini',
    );
    return this.survey.deskInvitation(
      user,
      { ...row, closed: this.cases.isClosed(row) },
      dto.requestedAtDesk === true,
      clientAddress(req),
    );
  }

  /** The complainant's identity and contact data, for those handling the case; every read is audited. */
  @Get(':id/complainant')
  complainant(@CurrentUser() user: AuthUser, @Param('id') id: string, @Req() req: Request) {
    return this.cases.revealComplainant(user, id, clientAddress(req));
  }

  /** The printable letter to the complainant for the latest milestone; read like the identity. */
  @Get(':id/complainant-letter')
  complainantLetter(@CurrentUser() user: AuthUser, @Param('id') id: string, @Req() req: Request) {
    return this.cases.complainantLetter(user, id, clientAddress(req));
  }
}
