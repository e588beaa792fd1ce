/** The payloads of version 2: those of version 1, and mediation's. */
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsIn,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
} from 'class-validator';
import type { WorkflowDefinition } from '../../types';
import { NoPayload, PAYLOADS as V1_PAYLOADS } from '../v1/payloads';

class MediasiDisetujuiEvent {
  /** The officer of the unit who leads the mediation. */
  @IsUUID('all')
  mediatorId: string;

  /** The parties complained of who take part. */
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  institutionIds: string[];
}

class MediasiDitolakEvent {
  @IsIn(['PENGADU', 'TERADU'], { message: 'harus PENGADU atau TERADU' })
  pihak: 'PENGADU' | 'TERADU';

  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  alasan: string;
}

class MediasiBerhasilEvent {
  /** The terms the parties agreed. */
  @IsString()
  @MinLength(1)
  @MaxLength(20000)
  kesepakatan: string;
}

class WithReason {
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  alasan: string;
}

export const PAYLOADS: WorkflowDefinition['payloads'] = {
  ...V1_PAYLOADS,
  MEDIASI_DISETUJUI: MediasiDisetujuiEvent,
  MEDIASI_DITOLAK: MediasiDitolakEvent,
  MEDIASI_BERHASIL: MediasiBerhasilEvent,
  MEDIASI_GAGAL: WithReason,
  KESEPAKATAN_DILAKSANAKAN: NoPayload,
  KESEPAKATAN_DIINGKARI: WithReason,
};
