import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser } from '../common/auth.decorators';
import { CaseViewsService, VIEW_FILTERS } from './case-views.service';

/** The caller's saved views of the case list (named filters), each user's own. */
@ApiTags('cases')
@ApiBearerAuth()
@Controller('case-views')
export class CaseViewsController {
  constructor(private readonly views: CaseViewsService) {}

  @Get()
  list(@CurrentUser() user: AuthUser) {
    return this.views.list(user);
  }

  @Post()
  @HttpCode(201)
  @ApiBody({
    schema: {
      type: 'object',
      required: ['name', 'filters'],
      properties: {
        name: { type: 'string', maxLength: 80 },
        filters: {
          type: 'object',
          properties: Object.fromEntries(VIEW_FILTERS.map((k) => [k, { type: 'string' }])),
        },
      },
    },
  })
  save(@CurrentUser() user: AuthUser, @Body() body: Record<string, unknown>) {
    return this.views.save(user, body ?? {});
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    await this.views.remove(user, id);
  }
}
