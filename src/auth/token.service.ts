import { Injectable, OnModuleInit } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { Role } from '../../workflows';
import { AppConfig } from '../config/app-config';
import { queryRows } from '../database/sql';

export interface TokenClaims {
  sub: string;
  username: string;
  unit: string;
  roles: Role[];
  /** Password change time (seconds): a token issued before a password change is refused. */
  pwd: number;
  /** The account's session version when issued: signing out raises it. Absent in older tokens (0). */
  sv?: number;
}

/** How many verified tokens an instance keeps (each a few hundred bytes). */
const MOST_KEPT_TOKENS = 10_000;

/**
 * Signs and verifies access tokens. HS256 only (a token with alg `none` or any other algorithm
 * is refused). The secret comes from JWT_SECRET, or is generated once and kept in the database
 * so that every instance shares it.
 */
@Injectable()
export class TokenService implements OnModuleInit {
  // A KeyObject made once: given a string, jsonwebtoken derives a key on every call.
  private secret: KeyObject;
  private readonly verified = new Map<string, TokenClaims & { exp: number }>();

  constructor(
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
    private readonly dataSource: DataSource,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.config.JWT_SECRET) {
      this.secret = createSecretKey(Buffer.from(this.config.JWT_SECRET));
      return;
    }
    await this.dataSource.query(
      `INSERT INTO app_settings (key, value) VALUES ('jwt_secret', $1) ON CONFLICT (key) DO NOTHING`,
      [randomBytes(48).toString('base64url')],
    );
    const [row] = await queryRows<{ value: string }>(
      this.dataSource,
      `SELECT value FROM app_settings WHERE key = 'jwt_secret'`,
    );
    this.secret = createSecretKey(Buffer.from(row.value));
  }

  get ttlSeconds(): number {
    return this.config.JWT_TTL_SECONDS;
  }

  sign(claims: TokenClaims): string {
    return this.jwt.sign(claims, {
      secret: this.secret as never,
      algorithm: 'HS256',
      expiresIn: this.config.JWT_TTL_SECONDS,
    });
  }

  /**
   * A token without an expiry is refused: every token this service signs carries one. A token
   * verified once is kept (by its whole text, signature included) until it expires: a desk sends
   * the same token with every request, and its signature cannot change meanwhile. Whether its
   * account still stands is the guard's question, asked every time.
   */
  verify(token: string): TokenClaims {
    const kept = this.verified.get(token);
    if (kept && kept.exp * 1000 > Date.now()) return kept;
    const claims = this.jwt.verify<TokenClaims & { exp?: unknown }>(token, {
      secret: this.secret as never,
      algorithms: ['HS256'],
    });
    if (typeof claims.exp !== 'number') throw new Error('token without exp');
    if (this.verified.size >= MOST_KEPT_TOKENS) this.verified.clear();
    this.verified.set(token, claims as TokenClaims & { exp: number });
    return claims;
  }
}
