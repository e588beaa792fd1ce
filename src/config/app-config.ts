import { plainToInstance, Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : Number(value);

/** The runtime configuration (the README's table), checked at boot; a bad value names its variable. */
export class AppConfig {
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsOptional()
  @IsString()
  @Matches(/^postgres(ql)?:\/\//, { message: 'must be a postgres:// connection string' })
  DATABASE_URL?: string;

  /**
   * The schema owner's connection (a direct one, not through a pooler) that runs the migrations
   * and grants DATABASE_URL's role its row access. Unset: the migrations run on DATABASE_URL.
   */
  @IsOptional()
  @IsString()
  @Matches(/^postgres(ql)?:\/\//, { message: 'must be a postgres:// connection string' })
  DATABASE_MIGRATION_URL?: string;

  @IsOptional()
  @IsString()
  DATA_DIR = './.data';

  @IsOptional()
  @IsString()
  @MinLength(3)
  ADMIN_USERNAME = 'admin';

  @IsOptional()
  @IsString()
  @MinLength(10)
  ADMIN_PASSWORD?: string;

  @IsOptional()
  @IsString()
  @Matches(/^smtps?:\/\//, { message: 'must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  @IsOptional()
  @IsString()
  MAIL_FROM?: string;

  /** Where complainants reach the service: the base of the survey links in their mails. */
  @IsOptional()
  @IsString()
  @Matches(/^https?:\/\/[^/]+(\/.*)?$/, { message: 'must be an http:// or https:// URL' })
  PUBLIC_URL = 'http://localhost:3000';

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(100)
  SCHEDULER_INTERVAL_MS = 60000;

  /**
   * How long a sender holds a mail without renewing; it renews every third of it while the SMTP
   * conversation lasts, so only a sender that stopped (crashed, cut off) loses a mail to another.
   */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  MAIL_LEASE_MS = 120000;

  /**
   * On SIGTERM, how long the requests in flight may take to finish before their connections are
   * cut; the jobs then finish what they hold (a mail is bounded by the SMTP timeouts).
   */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  SHUTDOWN_GRACE_MS = 10000;

  /** Days the delivery attempts of settled mails are kept; the mails themselves are kept. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  OUTBOX_ATTEMPTS_RETENTION_DAYS = 365;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  RATE_LIMIT_PER_MINUTE = 6000;

  /** Token signing secret shared by every instance; generated and stored in the database if unset. */
  @IsOptional()
  @IsString()
  @MinLength(32)
  JWT_SECRET?: string;

  /**
   * The key that seals queued mails (recipients, codes, links); it must stay outside the database
   * and be the same on every instance. Unset: generated once into DATA_DIR/mail-seal.key.
   */
  @IsOptional()
  @IsString()
  @MinLength(32)
  MAIL_SEAL_KEY?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(60)
  JWT_TTL_SECONDS = 8 * 3600;

  /** Comma-separated origins allowed by CORS; CORS is off when unset. */
  @IsOptional()
  @IsString()
  CORS_ORIGINS?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(500)
  DATABASE_POOL_SIZE = 20;

  /** How long a request waits for a pooled connection before it is answered 503. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(100)
  DATABASE_CONNECT_TIMEOUT_MS = 5000;

  /**
   * `pgbouncer`: DATABASE_URL is a PgBouncer in transaction pooling mode. The service then sends no
   * session settings when it connects (the pooler would refuse them, and a session is not the
   * service's there): the statement, lock and idle-transaction bounds become the database's own
   * defaults, set by the owner at every start. Migrations need DATABASE_MIGRATION_URL, direct.
   */
  @IsOptional()
  @IsIn(['none', 'pgbouncer'])
  DATABASE_POOLER: 'none' | 'pgbouncer' = 'none';

  /** Streaming replicas (comma-separated) for the reads that may lag: reports, lists, SLA summary. */
  @IsOptional()
  @IsString()
  DATABASE_REPLICA_URLS?: string;

  /** A replica further behind than this is skipped until it catches up. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  DATABASE_REPLICA_MAX_LAG_MS = 5000;

  /** How long one statement may run before PostgreSQL cancels it. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(100)
  DATABASE_STATEMENT_TIMEOUT_MS = 30000;

  /** How long a statement may wait for a row lock before it gives up. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(10)
  DATABASE_LOCK_TIMEOUT_MS = 5000;

  @IsOptional()
  @IsIn(['true', 'false'])
  SCHEDULER_ENABLED = 'true';

  /** The bearer token of the Prometheus scraper for GET /metrics; unset: no metrics endpoint. */
  @IsOptional()
  @IsString()
  @MinLength(16)
  METRICS_TOKEN?: string;

  /** The OpenAPI documentation at /api/docs; a production deployment may switch it off. */
  @IsOptional()
  @IsIn(['true', 'false'])
  API_DOCS = 'true';

  /** Which proxies may set X-Forwarded-For (Express "trust proxy"): addresses, CIDRs, loopback...; unset: none. */
  @IsOptional()
  @IsString()
  TRUST_PROXY = '';
}

const VARIABLES = [
  'PORT',
  'DATABASE_URL',
  'DATABASE_MIGRATION_URL',
  'DATA_DIR',
  'ADMIN_USERNAME',
  'ADMIN_PASSWORD',
  'SMTP_URL',
  'MAIL_FROM',
  'PUBLIC_URL',
  'SCHEDULER_INTERVAL_MS',
  'MAIL_LEASE_MS',
  'SHUTDOWN_GRACE_MS',
  'OUTBOX_ATTEMPTS_RETENTION_DAYS',
  'RATE_LIMIT_PER_MINUTE',
  'JWT_SECRET',
  'JWT_TTL_SECONDS',
  'MAIL_SEAL_KEY',
  'CORS_ORIGINS',
  'DATABASE_POOL_SIZE',
  'DATABASE_CONNECT_TIMEOUT_MS',
  'DATABASE_STATEMENT_TIMEOUT_MS',
  'DATABASE_LOCK_TIMEOUT_MS',
  'DATABASE_POOLER',
  'DATABASE_REPLICA_URLS',
  'DATABASE_REPLICA_MAX_LAG_MS',
  'SCHEDULER_ENABLED',
  'API_DOCS',
  'METRICS_TOKEN',
  'TRUST_PROXY',
] as const;

export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const picked = Object.fromEntries(
    VARIABLES.filter((k) => env[k] !== undefined && env[k] !== '').map((k) => [k, env[k]]),
  );
  const config = plainToInstance(AppConfig, picked);
  const errors = validateSync(config, { skipMissingProperties: false });
  if (errors.length > 0) {
    const lines = errors.map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join('; ')}`);
    throw new Error(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  return config;
}
