import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

const TTL_MS = 60_000;

/** Units change rarely (a reorganisation); their time zones are read on every event, so cache them. */
@Injectable()
export class UnitDirectory {
  private cache: { at: number; zones: Map<string, string> } | null = null;

  constructor(private readonly dataSource: DataSource) {}

  async timeZone(unitCode: string): Promise<string> {
    if (!this.cache || Date.now() - this.cache.at > TTL_MS) {
      const rows: { code: string; time_zone: string }[] = await this.dataSource.query('SELECT code, time_zone FROM units');
      this.cache = { at: Date.now(), zones: new Map(rows.map((r) => [r.code, r.time_zone])) };
    }
    const zone = this.cache.zones.get(unitCode);
    if (!zone) throw new Error(`unit ${unitCode} has no time zone`);
    return zone;
  }

  async zones(): Promise<Map<string, string>> {
    await this.timeZone('PUSAT');
    return this.cache!.zones;
  }

  invalidate(): void {
    this.cache = null;
  }
}
