import { Injectable, Logger } from '@nestjs/common';
import { isUuid } from '../database/query-results';
import { randomBytes } from 'node:crypto';
import { OFFICERS } from '../common/access-policy';
import { DataSource } from 'typeorm';
import { hashPassword, passwordWeakness, verifyPassword } from '../auth/password-hasher';
import { LoginThrottleService } from '../auth/login-throttle.service';
import { UserStatusCache } from '../auth/user-status.cache';
import type { AuthUser } from '../common/auth.decorators';
import { Clock } from '../common/clock';
import {
  ConflictError,
  ForbiddenActionError,
  InvalidInputError,
  NotFoundError,
  type FieldProblem,
} from '../common/errors';
import { AppConfig } from '../config/app-config';
import { UserEntity } from './user.entity';
import type { CreateUserDto, UpdateUserDto } from './user.dto';
import { queryRows, writeStatement } from '../database/sql';
import { RequestAudit } from '../audit/request-audit';
import { newId } from '../common/ids';

export function presentUser(user: UserEntity) {
  return {
    id: user.id,
    username: user.username,
    fullName: user.fullName,
    email: user.email,
    unitCode: user.unitCode,
    roles: user.roles,
    active: user.active,
    createdAt: user.createdAt,
  };
}

@Injectable()
export class UsersService {
  private readonly logger = new Logger('Users');

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly statusCache: UserStatusCache,
    private readonly throttle: LoginThrottleService,
  ) {}

  private get repo() {
    return this.dataSource.getRepository(UserEntity);
  }

  async create(actor: AuthUser, dto: CreateUserDto): Promise<UserEntity> {
    this.assertGrantable(actor, dto.roles);
    // The password and the unit are judged together: one 400 names both when both are wrong.
    const weakness = passwordWeakness(dto.password, dto.username);
    const problems = [
      ...(weakness ? [{ field: 'password', reason: weakness }] : []),
      ...(await this.unitProblems(dto.unitCode, 'unitCode')),
    ];
    if (problems.length > 0) throw new InvalidInputError(problems);
    if (await this.repo.exists({ where: { username: dto.username } }))
      throw new ConflictError('Nama pengguna sudah dipakai');
    const id = newId();
    RequestAudit.current()?.names(id);
    const user = this.repo.create({
      id,
      username: dto.username,
      passwordHash: await hashPassword(dto.password),
      fullName: dto.fullName,
      email: dto.email ?? null,
      unitCode: dto.unitCode,
      roles: dto.roles,
      active: true,
      passwordChangedAt: this.clock.now(),
    });
    return this.repo.save(user);
  }

  async update(actor: AuthUser, id: string, dto: UpdateUserDto): Promise<UserEntity> {
    const user = await this.findById(id);
    if (dto.roles) this.assertGrantable(actor, dto.roles);
    const weakness = dto.password !== undefined ? passwordWeakness(dto.password, user.username) : null;
    const problems = [
      ...(dto.unitCode ? await this.unitProblems(dto.unitCode, 'unitCode') : []),
      ...(weakness ? [{ field: 'password', reason: weakness }] : []),
      ...(dto.active === false && user.id === actor.id
        ? [{ field: 'active', reason: 'tidak dapat menonaktifkan akun sendiri' }]
        : []),
    ];
    if (problems.length > 0) throw new InvalidInputError(problems);
    if (dto.roles) user.roles = dto.roles;
    if (dto.unitCode) user.unitCode = dto.unitCode;
    if (dto.fullName !== undefined) user.fullName = dto.fullName;
    if (dto.email !== undefined) user.email = dto.email;
    if (dto.active !== undefined) user.active = dto.active;
    if (dto.password !== undefined) {
      user.passwordHash = await hashPassword(dto.password);
      user.passwordChangedAt = this.nextPasswordTime(user);
    }
    const saved = await this.repo.save(user);
    this.statusCache.forget(user.id);
    return saved;
  }

  /** The current password is guessed under the login's own limit, per account and per address. */
  async changeOwnPassword(
    actor: AuthUser,
    address: string,
    currentPassword: string,
    newPassword: string,
  ): Promise<void> {
    const user = await this.findById(actor.id);
    const attempt = await this.throttle.begin(user.username, address);
    if (!(await verifyPassword(currentPassword, user.passwordHash))) {
      await attempt.failed();
      throw InvalidInputError.field('currentPassword', 'kata sandi saat ini salah');
    }
    await attempt.succeeded();
    const weakness = passwordWeakness(newPassword, user.username);
    if (weakness) throw InvalidInputError.field('newPassword', weakness);
    user.passwordHash = await hashPassword(newPassword);
    user.passwordChangedAt = this.nextPasswordTime(user);
    await this.repo.save(user);
    this.statusCache.forget(user.id);
  }

  list(): Promise<UserEntity[]> {
    return this.repo.find({ order: { username: 'ASC' } });
  }

  /** The active officers of a unit (OFFICERS), by name: whom a case or a mediation may be given to. */
  async officersOf(unitCode: string): Promise<{ id: string; username: string; fullName: string }[]> {
    return queryRows<{ id: string; username: string; fullName: string }>(
      this.dataSource,
      `SELECT id, username, full_name AS "fullName" FROM users
        WHERE unit_code = $1 AND active AND roles && $2::text[] ORDER BY full_name, username`,
      [unitCode, OFFICERS],
    );
  }

  /** The account a login names (usernames are kept lower-case), or null. */
  findByUsername(username: string): Promise<UserEntity | null> {
    return this.repo.findOne({ where: { username: username.toLowerCase() } });
  }

  /** Ends every session of the account: tokens carry the session version, and the old one is refused. */
  async endSessions(id: string): Promise<void> {
    await writeStatement(
      this.dataSource,
      'UPDATE users SET session_version = session_version + 1 WHERE id = $1',
      [id],
    );
  }

  async findById(id: string): Promise<UserEntity> {
    const user = isUuid(id) ? await this.repo.findOne({ where: { id } }) : null;
    if (!user) throw new NotFoundError('Pengguna');
    return user;
  }

  /**
   * Creates the first administrator when no user exists. Under an advisory lock, so two
   * instances starting together create one admin.
   */
  async ensureFirstAdmin(): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      await em.query('SELECT pg_advisory_xact_lock(7201120)');
      const [{ count }] = await queryRows<{ count: number }>(em, 'SELECT count(*)::int AS count FROM users');
      if (count > 0) return;
      const generated = !this.config.ADMIN_PASSWORD;
      const password = this.config.ADMIN_PASSWORD ?? randomBytes(12).toString('base64url') + '7a';
      await em.getRepository(UserEntity).insert({
        id: newId(),
        username: this.config.ADMIN_USERNAME,
        passwordHash: await hashPassword(password),
        fullName: 'Administrator',
        email: null,
        unitCode: 'PUSAT',
        roles: ['ADMIN'],
        active: true,
        passwordChangedAt: this.clock.now(),
      });
      if (generated) {
        // Printed once, on the console of the first start only; change it after logging in.
        this.logger.warn(
          `First administrator created: username "${this.config.ADMIN_USERNAME}", password "${password}"`,
        );
      } else {
        this.logger.log(`First administrator "${this.config.ADMIN_USERNAME}" created from ADMIN_PASSWORD`);
      }
    });
  }

  /** Nobody grants a role they do not hold; only ADMIN manages users at all. */
  private assertGrantable(actor: AuthUser, roles: string[]): void {
    const missing = roles.filter((r) => !actor.roles.includes(r as never) && !actor.roles.includes('ADMIN'));
    if (missing.length > 0)
      throw new ForbiddenActionError(
        `Tidak dapat memberikan peran yang tidak Anda miliki: ${missing.join(', ')}`,
      );
  }

  /** The problem with a unit code given for an account: none when the unit exists and is active. */
  private async unitProblems(code: string, field: string): Promise<FieldProblem[]> {
    const [row] = await queryRows<unknown>(
      this.dataSource,
      'SELECT 1 FROM units WHERE code = $1 AND active',
      [code],
    );
    return row ? [] : [{ field, reason: `unit ${code} tidak dikenal` }];
  }

  /** Tokens carry whole seconds: the new time must fall in a later second than the old one. */
  private nextPasswordTime(user: UserEntity): Date {
    const now = this.clock.now().getTime();
    const previousSecond = Math.floor(user.passwordChangedAt.getTime() / 1000);
    return new Date(Math.max(now, (previousSecond + 1) * 1000));
  }
}
