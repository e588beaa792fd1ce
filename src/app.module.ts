import { DynamicModule, Global, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditMiddleware } from './audit/audit.middleware';
import { RequestAuditSubscriber } from './audit/request-audit';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { CalendarsModule } from './calendars/calendars.module';
import { CasesModule } from './cases/cases.module';
import { Clock, SystemClock } from './common/clock';
import { Lifecycle } from './common/lifecycle';
import { HttpExceptionFilter } from './common/http-exception.filter';
import { ComplainantsModule } from './complainants/complainants.module';
import { AppConfig } from './config/app-config';
import { ConfigurationRevision } from './config/configuration-revision';
import { boundSettings, dataSourceOptions, ownerDataSourceOptions } from './database/data-source-options';
import { dropReadOnlySessions } from './database/read-only-sessions';
import { grantRuntimeAccess, roleOf, setDatabaseDefaults } from './database/roles';
import { DatabaseModule, ReadYourWritesInterceptor } from './database/database.module';
import { replicaUrls } from './database/read-replicas';
import { runMigrationsLocked } from './database/run-migrations';
import { HealthModule } from './health/health.module';
import { ImportsModule } from './imports/imports.module';
import { InstitutionsModule } from './institutions/institutions.module';
import { JobsModule } from './jobs/jobs.module';
import { MailSeal } from './mail/mail-seal';
import { MailModule } from './mail/mail.module';
import { DisabledMailer, Mailer, SmtpMailer } from './mail/mailer';
import { MetricsModule } from './metrics/metrics.module';
import { NotificationsModule } from './notifications/notifications.module';
import { ReferenceModule } from './reference/reference.module';
import { RemindersModule } from './reminders/reminders.module';
import { ReportsModule } from './reports/reports.module';
import { SlaModule } from './sla/sla.module';
import { UnitsModule } from './units/units.module';
import { UsersModule } from './users/users.module';
import { WorkflowModule } from './workflow/workflow.module';

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

/**
 * What every module may inject, fixed when the service boots: the configuration, the clock, the
 * two ports the environment decides (the SMTP server, the mail seal's key) and the revision of the
 * settings that derived state is computed from.
 */
@Global()
@Module({})
class BootModule {
  static forRoot(options: AppModuleOptions): DynamicModule {
    const providers = [
      { provide: AppConfig, useValue: options.config },
      { provide: Clock, useValue: options.clock ?? new SystemClock() },
      {
        provide: Mailer,
        useValue:
          options.mailer ??
          (options.config.SMTP_URL ? new SmtpMailer(options.config.SMTP_URL) : new DisabledMailer()),
      },
      { provide: MailSeal, useValue: MailSeal.fromConfig(options.config) },
      { provide: ConfigurationRevision, useValue: new ConfigurationRevision() },
      { provide: Lifecycle, useValue: new Lifecycle() },
    ];
    return { module: BootModule, providers, exports: providers.map((p) => p.provide) };
  }
}

/** The composition root: the database, the scheduler and one module per feature. */
@Module({})
export class AppModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(AuditMiddleware).forRoutes('{*path}');
  }

  static forRoot(options: AppModuleOptions): DynamicModule {
    const bounds = {
      connectTimeoutMs: options.config.DATABASE_CONNECT_TIMEOUT_MS,
      statementTimeoutMs: options.config.DATABASE_STATEMENT_TIMEOUT_MS,
      lockTimeoutMs: options.config.DATABASE_LOCK_TIMEOUT_MS,
    };
    return {
      module: AppModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => ({
            ...dataSourceOptions(
              options.databaseUrl,
              options.config.DATABASE_POOL_SIZE,
              bounds,
              options.config.DATABASE_POOLER !== 'pgbouncer',
            ),
            // Each write request's audit row goes into its first writing transaction.
            subscribers: [RequestAuditSubscriber],
          }),
          // Migrations run before anything else touches the database, under an advisory lock.
          dataSourceFactory: async (dsOptions) => {
            if (options.migrationUrl && options.migrationUrl !== options.databaseUrl) {
              // The owner migrates and grants the runtime role its row access; the service then
              // connects as a role that owns nothing (database/roles.ts). Its own sessions are
              // unbounded: a migration may take longer than a request.
              const owner = await new DataSource(ownerDataSourceOptions(options.migrationUrl)).initialize();
              try {
                await runMigrationsLocked(owner);
                if (roleOf(options.databaseUrl) !== roleOf(options.migrationUrl))
                  await grantRuntimeAccess(owner, roleOf(options.databaseUrl));
                if (options.config.DATABASE_POOLER === 'pgbouncer')
                  await setDatabaseDefaults(owner, boundSettings(bounds));
              } finally {
                await owner.destroy();
              }
              const dataSource = await new DataSource(dsOptions!).initialize();
              dropReadOnlySessions(dataSource);
              return dataSource;
            }
            if (options.config.DATABASE_POOLER === 'pgbouncer')
              throw new Error(
                'DATABASE_POOLER=pgbouncer needs DATABASE_MIGRATION_URL: a direct connection for migrations',
              );
            const dataSource = await new DataSource(dsOptions!).initialize();
            await runMigrationsLocked(dataSource);
            dropReadOnlySessions(dataSource);
            return dataSource;
          },
        }),
        DatabaseModule,
        ScheduleModule.forRoot(),
        BootModule.forRoot(options),
        WorkflowModule,
        AuditModule,
        AuthModule,
        UsersModule,
        UnitsModule,
        ReferenceModule,
        InstitutionsModule,
        CalendarsModule,
        NotificationsModule,
        MailModule,
        RemindersModule,
        ComplainantsModule,
        CasesModule,
        ImportsModule,
        ReportsModule,
        SlaModule,
        JobsModule,
        MetricsModule,
        HealthModule,
      ],
      providers: [
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
        // Only with replicas to read from: every interceptor costs each request its own scope.
        ...(replicaUrls(options.config).length > 0
          ? [{ provide: APP_INTERCEPTOR, useExisting: ReadYourWritesInterceptor }]
          : []),
      ],
    };
  }
}
