import { Body, Controller, HttpCode, Post, Req, UnauthorizedException } from '@nestjs/common';
import { ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import type { Request } from 'express';
import { type AuthUser, clientAddress, CurrentUser, Public } from '../common/auth.decorators';
import { UsersService } from '../users/users.service';
import { LoginThrottleService } from './login-throttle.service';
import { DUMMY_HASH_PROMISE, verifyPassword } from './password-hasher';
import { TokenService } from './token.service';
import { UserStatusCache } from './user-status.cache';

export class LoginDto {
  @ApiProperty()
  @IsString()
  @MaxLength(64)
  username: string;

  @ApiProperty()
  @IsString()
  @MaxLength(200)
  password: string;
}

const INVALID = { statusCode: 401, error: 'Unauthorized', message: 'Nama pengguna atau kata sandi salah' };

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly users: UsersService,
    private readonly tokens: TokenService,
    private readonly throttle: LoginThrottleService,
    private readonly userStatus: UserStatusCache,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  async login(
    @Body() dto: LoginDto,
    @Req() req: Request,
  ): Promise<{ accessToken: string; expiresIn: number }> {
    const address = clientAddress(req);
    const attempt = await this.throttle.begin(dto.username, address);
    const user = await this.users.findByUsername(dto.username);
    // Same work whether or not the user exists, so timing does not tell which.
    const ok = await verifyPassword(dto.password, user?.passwordHash ?? (await DUMMY_HASH_PROMISE));
    if (!user || !ok || !user.active) {
      await attempt.failed();
      throw new UnauthorizedException(INVALID);
    }
    await attempt.succeeded();
    const accessToken = this.tokens.sign({
      sub: user.id,
      username: user.username,
      unit: user.unitCode,
      roles: user.roles,
      pwd: Math.floor(user.passwordChangedAt.getTime() / 1000),
      sv: user.sessionVersion,
    });
    return { accessToken, expiresIn: this.tokens.ttlSeconds };
  }

  /** Ends every session of the caller's account, on every device: its tokens are refused from now on. */
  @Post('logout')
  @HttpCode(204)
  async logout(@CurrentUser() user: AuthUser): Promise<void> {
    await this.users.endSessions(user.id);
    this.userStatus.forget(user.id);
  }
}
