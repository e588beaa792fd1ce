import {
  DynamicModule,
  MiddlewareConsumer,
  Module,
  NestModule,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { ScheduleModule } from '@nestjs/schedule';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditController } from './audit/audit.controller';
import { AuditMiddleware } from './audit/audit.middleware';
import { AuditService } from './audit/audit.service';
import { AuthController } from './auth/auth.controller';
import { AuthGuard } from './auth/auth.guard';
import { LoginThrottleService } from './auth/login-throttle.service';
import { TokenService } from './auth/token.service';
import { UserStatusCache } from './auth/user-status.cache';
import { CalendarWatchService } from './calendars/calendar-watch.service';
import { CalendarService } from './calendars/calendar.service';
import { CalendarsController } from './calendars/calendars.controller';
import { DeadlineRecomputeService } from './calendars/deadline-recompute.service';
import { CalendarEditor } from './calendars/calendar-editor.service';
import { AttachmentsController } from './cases/attachments.controller';
import { AttachmentsService } from './cases/attachments.service';
import { CaseEventsService } from './cases/case-events.service';
import { CaseStore } from './cases/case-store';
import { CasesController } from './cases/cases.controller';
import { CasesService } from './cases/cases.service';
import { Clock, SystemClock } from './common/clock';
import { HttpExceptionFilter } from './common/http-exception.filter';
import { AppConfig } from './config/app-config';
import { dataSourceOptions } from './database/data-source-options';
import { grantRuntimeAccess, roleOf } from './database/roles';
import { runMigrationsLocked } from './database/run-migrations';
import { HealthController } from './health/health.controller';
import { JobRuns } from './jobs/job-runs';
import { DatabaseProbe } from './database/database-probe';
import { MetricsService } from './metrics/metrics.service';
import { InstitutionsController } from './institutions/institutions.controller';
import { InstitutionsService } from './institutions/institutions.service';
import { MailDispatcherService } from './mail/mail-dispatcher.service';
import { MailSeal } from './mail/mail-seal';
import { DisabledMailer, Mailer, SmtpMailer } from './mail/mailer';
import { OutboxService } from './mail/outbox.service';
import { PublicController } from './complainants/public.controller';
import { ComplainantNoticesController } from './complainants/complainant-notices.controller';
import { IkmController } from './complainants/ikm.controller';
import { IkmService } from './complainants/ikm.service';
import { SurveyService } from './complainants/survey.service';
import { PublicStatusService } from './complainants/public-status.service';
import { NotificationsService } from './notifications/notifications.service';
import { CaseImportService } from './imports/case-import.service';
import { ImportsController } from './imports/imports.controller';
import { ReferenceController } from './reference/reference.controller';
import { ReportsController } from './reports/reports.controller';
import { ReportsService } from './reports/reports.service';
import { ReminderService } from './reminders/reminder.service';
import { RemindersController } from './reminders/reminders.controller';
import { SchedulerService } from './sla/scheduler.service';
import { SlaSummaryService } from './sla/sla-summary.service';
import { SlaSweepService } from './sla/sla-sweep.service';
import { SlaController } from './sla/sla.controller';
import { ReferenceValidator } from './reference/reference-validator';
import { UnitDirectory } from './units/unit-directory';
import { UnitsService } from './units/units.service';
import { UnitsController } from './units/units.controller';
import { UsersController } from './users/users.controller';
import { UsersService } from './users/users.service';
import { WorkflowModule } from './workflow/workflow.module';
import { WorkflowsController } from './workflow/workflows.controller';

export interface AppModuleOptions {
  config: AppConfig;
  databaseUrl: string;
  /** The schema owner's connection, for the migrations; without it they run on databaseUrl. */
  migrationUrl?: string;
  /** Tests replace the clock; production uses the system clock. */
  clock?: Clock;
  /** Tests may pass their own mail port; by default SMTP_URL decides. */
  mailer?: Mailer;
}

class FirstAdminBootstrap implements OnApplicationBootstrap {
  constructor(private readonly users: UsersService) {}
  onApplicationBootstrap() {
    return this.users.ensureFirstAdmin();
  }
}

@Module({})
export class AppModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(AuditMiddleware).forRoutes('{*path}');
  }

  static forRoot(options: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => dataSourceOptions(options.databaseUrl, options.config.DATABASE_POOL_SIZE),
          // Migrations run before anything else touches the database, under an advisory lock.
          dataSourceFactory: async (dsOptions) => {
            if (options.migrationUrl && options.migrationUrl !== options.databaseUrl) {
              // The owner migrates and grants the runtime role its row access; the service then
              // connects as a role that owns nothing (database/roles.ts).
              const owner = await new DataSource(dataSourceOptions(options.migrationUrl, 2)).initialize();
              try {
                await runMigrationsLocked(owner);
                if (roleOf(options.databaseUrl) !== roleOf(options.migrationUrl))
                  await grantRuntimeAccess(owner, roleOf(options.databaseUrl));
              } finally {
                await owner.destroy();
              }
              return new DataSource(dsOptions!).initialize();
            }
            const dataSource = await new DataSource(dsOptions!).initialize();
            await runMigrationsLocked(dataSource);
            return dataSource;
          },
        }),
        JwtModule.register({}),
        ScheduleModule.forRoot(),
        WorkflowModule,
      ],
      controllers: [
        HealthController,
        AuthController,
        UsersController,
        UnitsController,
        ReferenceController,
        InstitutionsController,
        CalendarsController,
        CasesController,
        AttachmentsController,
        WorkflowsController,
        AuditController,
        SlaController,
        RemindersController,
        ReportsController,
        ImportsController,
        PublicController,
        ComplainantNoticesController,
        IkmController,
      ],
      providers: [
        { provide: AppConfig, useValue: options.config },
        { provide: Clock, useValue: options.clock ?? new SystemClock() },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
        AuditService,
        TokenService,
        UserStatusCache,
        UnitDirectory,
        UnitsService,
        LoginThrottleService,
        UsersService,
        {
          provide: FirstAdminBootstrap,
          useFactory: (users: UsersService) => new FirstAdminBootstrap(users),
          inject: [UsersService],
        },
        ReferenceValidator,
        CalendarService,
        DeadlineRecomputeService,
        CalendarEditor,
        InstitutionsService,
        CaseStore,
        CasesService,
        AttachmentsService,
        CaseEventsService,
        {
          provide: Mailer,
          useValue:
            options.mailer ??
            (options.config.SMTP_URL ? new SmtpMailer(options.config.SMTP_URL) : new DisabledMailer()),
        },
        { provide: MailSeal, useValue: MailSeal.fromConfig(options.config) },
        OutboxService,
        MailDispatcherService,
        NotificationsService,
        ReminderService,
        ReportsService,
        CaseImportService,
        PublicStatusService,
        SurveyService,
        IkmService,
        SlaSweepService,
        SlaSummaryService,
        CalendarWatchService,
        JobRuns,
        DatabaseProbe,
        MetricsService,
        SchedulerService,
      ],
    };
  }
}
