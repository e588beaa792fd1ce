import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { firstRow } from './sql';

/** What the health checks ask of the database itself: does it answer, and does it take writes. */
@Injectable()
export class DatabaseProbe {
  constructor(private readonly dataSource: DataSource) {}

  async ping(): Promise<void> {
    await this.dataSource.query('SELECT 1');
  }

  /** False on a standby or a server set read-only; throws when it cannot be reached. */
  async writable(): Promise<boolean> {
    const row = await firstRow<{ recovery: boolean; read_only: string }>(
      this.dataSource,
      `SELECT pg_is_in_recovery() AS recovery, current_setting('transaction_read_only') AS read_only`,
    );
    return !!row && !row.recovery && row.read_only !== 'on';
  }
}
