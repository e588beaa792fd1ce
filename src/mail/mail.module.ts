import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { MailDispatcherService } from './mail-dispatcher.service';
import { OutboxService } from './outbox.service';
import { NotificationsModule } from '../notifications/notifications.module';

/** Owns outbox_messages and outbox_attempts: every mail is queued, sealed and sent here. */
@Module({
  imports: [AuditModule, NotificationsModule],
  controllers: [],
  providers: [OutboxService, MailDispatcherService],
  exports: [OutboxService, MailDispatcherService],
})
export class MailModule {}
