import { Module } from '@nestjs/common';
import { NotificationsService } from './notifications.service';

/** Owns notifications: what the console shows a user in its bell. */
@Module({
  imports: [],
  controllers: [],
  providers: [NotificationsService],
  exports: [NotificationsService],
})
export class NotificationsModule {}
