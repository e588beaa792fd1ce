import { Body, Controller, Get, HttpCode, Param, Patch, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Scope } from '../common/access-policy';
import { AuthUser, clientAddress, CurrentUser, Roles } from '../common/auth.decorators';
import { ChangePasswordDto, CreateUserDto, UpdateUserDto } from './user.dto';
import { presentUser, UsersService } from './users.service';

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @Roles('ADMIN')
  async create(@CurrentUser() actor: AuthUser, @Body() dto: CreateUserDto) {
    return presentUser(await this.users.create(actor, dto));
  }

  @Get()
  @Roles('ADMIN')
  async list() {
    return (await this.users.list()).map(presentUser);
  }

  @Get('me')
  async me(@CurrentUser() actor: AuthUser) {
    return presentUser(await this.users.findById(actor.id));
  }

  @Post('me/password')
  @HttpCode(204)
  async changePassword(
    @CurrentUser() actor: AuthUser,
    @Body() dto: ChangePasswordDto,
    @Req() req: Request,
  ): Promise<void> {
    await this.users.changeOwnPassword(actor, clientAddress(req), dto.currentPassword, dto.newPassword);
  }

  @Get(':id')
  @Roles('ADMIN')
  async get(@Param('id') id: string) {
    return presentUser(await this.users.findById(id));
  }

  @Patch(':id')
  @Roles('ADMIN')
  async update(@CurrentUser() actor: AuthUser, @Param('id') id: string, @Body() dto: UpdateUserDto) {
    return presentUser(await this.users.update(actor, id, dto));
  }
}

/** The officers of a unit, for those who see the unit: whom a case or a mediation may be given to. */
@ApiTags('users')
@ApiBearerAuth()
@Controller('units/:code/officers')
export class UnitOfficersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  list(@CurrentUser() user: AuthUser, @Param('code') code: string) {
    Scope.of(user).assertSees(code);
    return this.users.officersOf(code);
  }
}
