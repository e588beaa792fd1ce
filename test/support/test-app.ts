import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/app-setup';
import { AuditedExpressAdapter } from '../../src/audit/audited-express-adapter';
import { Clock } from '../../src/common/clock';
import { loadConfig } from '../../src/config/app-config';
import { OWNER_ROLE, RUNTIME_ROLE } from '../../src/database/roles';
import { asRole, withDatabase } from './global-setup';
import { PinoNestLogger } from '../../src/logging/logger';
import { testLogger } from './service-log';
import { WorkflowRegistry, type WorkflowDefinition } from '../../workflows';

export const ADMIN_PASSWORD = 'AdminRahasia123';
export const PASSWORD = 'SandiKuat12345';
/** Every test instance shares one seal key, as a fleet does. */
export const TEST_MAIL_SEAL_KEY = 'kunci-segel-surel-untuk-pengujian-0123456789';

/** Real time by default; a test may freeze it at an instant and move it by hand. */
export class TestClock extends Clock {
  private frozen: Date | null = null;

  now(): Date {
    return this.frozen ? new Date(this.frozen) : new Date();
  }
  set(at: Date | string): void {
    this.frozen = new Date(at);
  }
  advance(ms: number): void {
    this.frozen = new Date(this.now().getTime() + ms);
  }
}

/** A fresh database copied from the migrated template. */
export async function createTestDatabase(): Promise<string> {
  const server = process.env.YANKOMAS_TEST_SERVER_URL!;
  // The pid of the run's main process is in the template name; teardown drops yk_<that pid>_*.
  const runPid = process.env.YANKOMAS_TEST_TEMPLATE!.split('_').pop();
  const name = `yk_${runPid}_${randomBytes(5).toString('hex')}`;
  const admin = new Client({ connectionString: withDatabase(server, 'postgres') });
  await admin.connect();
  await admin.query(
    `CREATE DATABASE ${name} TEMPLATE ${process.env.YANKOMAS_TEST_TEMPLATE} OWNER ${OWNER_ROLE}`,
  );
  await admin.end();
  // The service's connection: the runtime role, which owns nothing.
  return asRole(withDatabase(server, name), RUNTIME_ROLE);
}

/** The same database over the embedded server's Unix socket; null without one (DATABASE_URL). */
export function overLocalSocket(url: string): string | null {
  const socket = process.env.YANKOMAS_TEST_SOCKET_URL;
  if (!socket) return null;
  const parsed = new URL(url);
  parsed.searchParams.set('host', new URL(socket).searchParams.get('host')!);
  return parsed.toString();
}

export interface TestApp {
  app: INestApplication;
  http: () => TestAgent;
  /** The runtime role's connection, as the service uses it. */
  databaseUrl: string;
  /** The schema owner's connection to the same database (migrations; what the service cannot do). */
  ownerUrl: string;
  clock: TestClock;
  close(): Promise<void>;
  login(username: string, password?: string): Promise<string>;
  /** Creates a user through the API as the admin; returns a token for it. */
  user(username: string, unitCode: string, roles: string[], email?: string): Promise<string>;
  adminToken: string;
}

export async function createTestApp(
  options: {
    databaseUrl?: string;
    /** The owner's direct connection for migrations (default: the same server as the owner role). */
    migrationUrl?: string;
    env?: Record<string, string>;
    clock?: TestClock;
    adminPassword?: string;
    /** The workflow versions this instance knows, as an older release would (default: all shipped). */
    workflows?: WorkflowDefinition[];
  } = {},
): Promise<TestApp> {
  const databaseUrl = options.databaseUrl ?? (await createTestDatabase());
  const config = loadConfig({
    ADMIN_PASSWORD,
    SCHEDULER_ENABLED: 'false',
    DATABASE_POOL_SIZE: '10',
    MAIL_SEAL_KEY: TEST_MAIL_SEAL_KEY,
    ...options.env,
  });
  const clock = options.clock ?? new TestClock();
  const ownerUrl = options.migrationUrl ?? asRole(databaseUrl, OWNER_ROLE);
  const builder = Test.createTestingModule({
    imports: [AppModule.forRoot({ config, databaseUrl, migrationUrl: ownerUrl, clock })],
  });
  if (options.workflows)
    builder.overrideProvider(WorkflowRegistry).useValue(new WorkflowRegistry(options.workflows));
  const moduleRef = await builder.compile();
  const logger = testLogger();
  const app = moduleRef.createNestApplication(new AuditedExpressAdapter(), {
    bodyParser: false,
    logger: new PinoNestLogger(logger),
  });
  configureApp(app, config, logger);
  await app.init();
  const http = () => request(app.getHttpServer());
  const login = async (username: string, password = PASSWORD) => {
    const res = await http().post('/api/auth/login').send({ username, password });
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.accessToken as string;
  };
  const adminToken = await login('admin', ADMIN_PASSWORD);
  return {
    app,
    http,
    databaseUrl,
    ownerUrl,
    clock,
    adminToken,
    close: () => app.close(),
    login,
    user: async (username, unitCode, roles, email) => {
      const res = await http()
        .post('/api/users')
        .set('Authorization', `Bearer ${adminToken}`)
        .send({
          username,
          password: PASSWORD,
          fullName: username,
          unitCode,
          roles,
          ...(email ? { email } : {}),
        });
      if (res.status !== 201)
        throw new Error(`create user ${username}: ${res.status} ${JSON.stringify(res.body)}`);
      return login(username);
    },
  };
}

export function complaint(overrides: Record<string, unknown> = {}) {
  return {
    unitCode: 'KANWIL-SS',
    receivedAt: '2026-03-02T09:00:00+07:00',
    channel: 'SURAT',
    submission: 'LANGSUNG',
    complainant: {
      name: 'Siti Aminah',
      email: 'siti@example.id',
      phone: '+62 812 1234 5678',
      address: 'Jl. Merdeka 1, Palembang',
    },
    locus: { provinceCode: 'ID-SS', regency: 'Kota Palembang' },
    rights: ['RASA_AMAN', 'KEADILAN'],
    theme: 'PERTANAHAN',
    reportedParty: 'KEPOLISIAN',
    summary: 'Penggusuran lahan tanpa putusan pengadilan',
    ...overrides,
  };
}
