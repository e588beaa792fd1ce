import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { UsersService } from './users.service';

/** Creates the first administrator when the service starts on an empty database. */
@Injectable()
export class FirstAdminBootstrap implements OnApplicationBootstrap {
  constructor(private readonly users: UsersService) {}
  onApplicationBootstrap() {
    return this.users.ensureFirstAdmin();
  }
}
