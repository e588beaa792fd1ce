import { Module, forwardRef } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { UsersModule } from '../users/users.module';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { LoginThrottleService } from './login-throttle.service';
import { TokenService } from './token.service';
import { UserStatusCache } from './user-status.cache';
import { APP_GUARD } from '@nestjs/core';

/** Owns login_failures and the signing secret: sign-in, tokens, the guard on every route. */
@Module({
  imports: [JwtModule.register({}), forwardRef(() => UsersModule)],
  controllers: [AuthController],
  providers: [
    TokenService,
    LoginThrottleService,
    UserStatusCache,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [TokenService, LoginThrottleService, UserStatusCache],
})
export class AuthModule {}
