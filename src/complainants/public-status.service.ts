import { Injectable } from '@nestjs/common';
import { IsString, Length } from 'class-validator';
import { normalRegisterNumber } from '../cases/register-number';
import { timingSafeEqual } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { NotFoundError, TooManyRequestsError } from '../common/errors';
import { isoOf, civilDayOf } from '../sla/working-time';
import { hashTrackingCode } from './tracking-code';
import { queryRows } from '../database/sql';
import { WorkflowRegistry, type PublicStage, type PublicStages } from '../../workflows';
import { RequestAudit } from '../audit/request-audit';

/** Failed lookups an address may make in the window before it is refused. */
export const LOOKUP_FAILURES_ALLOWED = 10;
export const LOOKUP_WINDOW_MS = 15 * 60_000;

/** The stages a complainant sees, in plain Indonesian: never names, answers or internal notes. */
const LABELS: Record<PublicStage, string> = {
  DITERIMA: 'Pengaduan diterima',
  MENUNGGU_KELENGKAPAN: 'Menunggu kelengkapan berkas dari Anda',
  DITELAAH: 'Sedang ditelaah',
  MEDIASI: 'Dalam upaya perdamaian (mediasi) antara Anda dan pihak teradu',
  REKOMENDASI_DIKIRIM: 'Surat rekomendasi telah dikirim kepada instansi terkait',
  DITANGGAPI: 'Instansi terkait telah menanggapi',
  SELESAI: 'Selesai',
  DIARSIPKAN: 'Ditutup dan diarsipkan',
  TIDAK_BERWENANG: 'Bukan kewenangan kami; diteruskan kepada instansi yang berwenang',
  DICABUT: 'Dianggap dicabut karena berkas tidak dilengkapi',
};
type StageCode = PublicStage;

export interface PublicStatus {
  registerNumber: string;
  stage: { code: StageCode; label: string };
  stages: { code: StageCode; label: string; date: string }[];
  /** The case waits for the complainant's missing documents: the status page offers the upload. */
  acceptsDocuments: boolean;
}

/** What a complainant gives to reach their case: the receipt's register number and tracking code. */
export class TrackedCaseFields {
  @IsString()
  @Length(1, 64)
  registerNumber: string;

  @IsString()
  @Length(1, 64)
  trackingCode: string;
}

/** A case found by its register number and tracking code. */
export interface VerifiedCase {
  id: string;
  register_number: string;
  state: string;
  received_at: Date;
  time_zone: string;
  workflow_id: string;
  workflow_version: number;
}

/** The public stage in which the complainant may send the documents the desk asked for. */
const DOCUMENTS_AWAITED: PublicStage = 'MENUNGGU_KELENGKAPAN';

const NOT_FOUND_MESSAGE = 'Pengaduan dengan nomor register dan kode pelacakan tersebut';
const NO_MATCH = Buffer.alloc(32);

/**
 * The public status page: a register number and its tracking code show where the complaint is.
 * A wrong code and an unknown number answer alike, in the same work, and failed lookups per
 * address are limited so that codes cannot be guessed.
 */
@Injectable()
export class PublicStatusService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly workflows: WorkflowRegistry,
  ) {}

  async status(registerNumber: string, trackingCode: string, address: string): Promise<PublicStatus> {
    const row = await this.verified(registerNumber, trackingCode, address);
    const status = await this.stagesNow(row);
    return {
      registerNumber: row.register_number,
      ...status,
      acceptsDocuments: status.stage.code === DOCUMENTS_AWAITED,
    };
  }

  /**
   * The case behind a register number and its tracking code, for the complainant's own requests
   * (the status, the missing documents). A wrong code and an unknown number answer alike, in the
   * same work, and each spends one of the address's tries.
   */
  async verified(registerNumber: string, trackingCode: string, address: string): Promise<VerifiedCase> {
    await this.assertNotThrottled(address);
    const given = Buffer.from(hashTrackingCode(trackingCode), 'hex');
    const [row] = await queryRows<VerifiedCase & { tracking_code_hash: string | null }>(
      this.dataSource,
      `SELECT c.id, c.register_number, c.state, c.received_at, c.tracking_code_hash, u.time_zone,
              c.workflow_id, c.workflow_version
         FROM cases c JOIN units u ON u.code = c.unit_code WHERE c.register_number = ANY($1::text[])`,
      // As typed, and as the service writes it: a number typed in lower case or with spaces is found
      // (without spending a try); a legacy office's own numbering keeps its case.
      [[registerNumber.trim(), normalRegisterNumber(registerNumber)]],
    );
    const stored = row?.tracking_code_hash ? Buffer.from(row.tracking_code_hash, 'hex') : NO_MATCH;
    if (!timingSafeEqual(given, stored) || !row) {
      await this.recordFailure(address);
      throw new NotFoundError(NOT_FOUND_MESSAGE);
    }
    const { tracking_code_hash: _hash, ...found } = row;
    return found;
  }

  /** Whether the verified case waits for the complainant's missing documents now. */
  async awaitsDocuments(row: VerifiedCase): Promise<boolean> {
    return (await this.stagesNow(row)).stage.code === DOCUMENTS_AWAITED;
  }

  /** The stages the verified case reached, and the one it is at, as its workflow version shows them. */
  private async stagesNow(row: VerifiedCase) {
    const events = await queryRows<{ type: string; to_state: string; occurred_at: Date }>(
      this.dataSource,
      'SELECT type, to_state, occurred_at FROM case_events WHERE case_id = $1 ORDER BY seq',
      [row.id],
    );
    return stagesOf(
      this.workflows.get(row.workflow_id, row.workflow_version).publicStages,
      row.state,
      row.received_at,
      events,
      row.time_zone,
    );
  }

  /** The throttle's own bookkeeping, also of a refused survey answer: no request audit row goes with it. */
  async recordFailure(address: string): Promise<void> {
    await RequestAudit.aside(async () => {
      await this.dataSource.query('INSERT INTO public_lookup_failures (address, at) VALUES ($1, $2)', [
        address,
        this.clock.now(),
      ]);
    });
  }

  /** Forgets failed lookups older than the window: nothing older is counted. */
  async prune(): Promise<number> {
    const [{ n }] = await queryRows<{ n: number }>(
      this.dataSource,
      'WITH d AS (DELETE FROM public_lookup_failures WHERE at < $1 RETURNING 1) SELECT count(*)::int AS n FROM d',
      [new Date(this.clock.now().getTime() - 2 * LOOKUP_WINDOW_MS)],
    );
    return n;
  }

  /** Failed lookups, of a status or a survey link, are counted together per address. */
  async assertNotThrottled(address: string): Promise<void> {
    const since = new Date(this.clock.now().getTime() - LOOKUP_WINDOW_MS);
    const [{ failures, oldest }] = await queryRows<{ failures: number; oldest: Date | null }>(
      this.dataSource,
      'SELECT count(*)::int AS failures, min(at) AS oldest FROM public_lookup_failures WHERE address = $1 AND at > $2',
      [address, since],
    );
    if (failures >= LOOKUP_FAILURES_ALLOWED) {
      const wait = Math.max(
        1,
        Math.ceil(((oldest ?? since).getTime() + LOOKUP_WINDOW_MS - this.clock.now().getTime()) / 1000),
      );
      throw new TooManyRequestsError('Terlalu banyak percobaan yang gagal; coba lagi nanti', wait);
    }
  }
}

/**
 * The stages reached, each with the local date it was reached, and the one the case is at now,
 * as the case's workflow version shows them (its pack's public stages).
 */
export function stagesOf(
  stages: PublicStages,
  state: string,
  receivedAt: Date,
  events: { type: string; to_state: string; occurred_at: Date }[],
  zone: string,
) {
  const reached = new Map<StageCode, Date>([['DITERIMA', receivedAt]]);
  for (const e of events) {
    const stage = stages.reachedBy({ type: e.type, toState: e.to_state });
    if (stage && !reached.has(stage)) reached.set(stage, e.occurred_at);
  }
  const last = events[events.length - 1];
  const current: StageCode = stages.current(state, last?.type ?? null) ?? [...reached.keys()].pop()!;
  if (!reached.has(current)) reached.set(current, last?.occurred_at ?? receivedAt);
  return {
    stage: { code: current, label: LABELS[current] },
    stages: [...reached].map(([code, at]) => ({
      code,
      label: LABELS[code],
      date: isoOf(civilDayOf(at, zone)),
    })),
  };
}
