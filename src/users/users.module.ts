import { Module, forwardRef } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { FirstAdminBootstrap } from './first-admin.bootstrap';
import { UnitOfficersController, UsersController } from './users.controller';
import { UsersService } from './users.service';

/** Owns users: accounts, roles, passwords, the first administrator. */
@Module({
  imports: [forwardRef(() => AuthModule)],
  controllers: [UsersController, UnitOfficersController],
  providers: [UsersService, FirstAdminBootstrap],
  exports: [UsersService],
})
export class UsersModule {}
