import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { IsIsoInstant } from '../common/query-fields';

/** Fields every event may carry. */
class EventBase {
  // Checked against the workflow before the payload is validated.
  @IsOptional()
  @IsString()
  type?: string;

  @IsOptional()
  @IsIsoInstant()
  @Matches(/T.*(Z|[+-]\d{2}:?\d{2})$/, { message: 'harus tanggal-waktu ISO 8601 dengan zona waktu' })
  occurredAt?: string;

  /** Why an event is recorded more than one working day after it happened (then required). */
  @IsOptional()
  @IsString()
  @MinLength(5)
  @MaxLength(1000)
  alasanTerlambat?: string;

  /**
   * When the event closes a case whose institutions have not all answered: stop their reminders
   * (HENTIKAN) or keep reminding them (LANJUTKAN). Required then; ignored otherwise.
   */
  @IsOptional()
  @IsIn(['HENTIKAN', 'LANJUTKAN'], { message: 'harus HENTIKAN atau LANJUTKAN' })
  pengingatTerbuka?: 'HENTIKAN' | 'LANJUTKAN';
}

/** A decision to stop the reminders to one institution of a case. */
export class StopRemindersDto {
  @IsString()
  @MinLength(5)
  @MaxLength(1000)
  reason: string;
}

class WithNote extends EventBase {
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  catatan?: string;
}

class FileEvent extends WithNote {
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  reason: string;
}

class SetujuiTelaahEvent extends WithNote {
  // The conclusions a version offers are its pack's (a PILIHAN check): MEDIASI from version 2.
  @IsString()
  @MinLength(1)
  kesimpulan: string;

  @IsBoolean()
  audiensi: boolean;
}

class KirimSuratEvent extends WithNote {
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  institutionIds: string[];

  @IsString()
  @MinLength(1)
  @MaxLength(100)
  letterNumber: string;
}

class TanggapanEvent extends WithNote {
  @IsUUID('all')
  institutionId: string;

  @IsString()
  @MinLength(1)
  @MaxLength(20000)
  summary: string;
}

class TundaEvent extends WithNote {
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  reason: string;
}

class LimpahkanEvent extends WithNote {
  @IsString()
  @MinLength(1)
  unitCode: string;
}

class BerkasTidakLengkapEvent extends WithNote {
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  kekurangan: string;
}

class TidakBerwenangEvent extends WithNote {
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  referral: string;
}

class MediasiDisetujuiEvent extends WithNote {
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

class MediasiDitolakEvent extends WithNote {
  @IsIn(['PENGADU', 'TERADU'], { message: 'harus PENGADU atau TERADU' })
  pihak: 'PENGADU' | 'TERADU';

  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  alasan: string;
}

class MediasiBerhasilEvent extends WithNote {
  /** The terms the parties agreed. */
  @IsString()
  @MinLength(1)
  @MaxLength(20000)
  kesepakatan: string;
}

class WithReason extends WithNote {
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  alasan: string;
}

/** The payload each event type accepts; anything else in the body is refused as unknown. */
export const EVENT_PAYLOADS: Record<string, new () => EventBase> = {
  DISPOSISI: WithNote,
  FILE: FileEvent,
  REKOMENDASI_SEGERA: WithNote,
  TELAAH: WithNote,
  AJUKAN_TELAAH: WithNote,
  TOLAK_TELAAH: WithNote,
  SETUJUI_TELAAH: SetujuiTelaahEvent,
  AUDIENSI_SELESAI: WithNote,
  AJUKAN_SURAT: WithNote,
  TOLAK_SURAT: WithNote,
  SETUJUI_SURAT: WithNote,
  KIRIM_SURAT: KirimSuratEvent,
  TANGGAPAN: TanggapanEvent,
  SELESAI: WithNote,
  TINDAK_LANJUT_ULANG: WithNote,
  TUNDA: TundaEvent,
  LANJUTKAN: WithNote,
  LIMPAHKAN: LimpahkanEvent,
  BERKAS_TIDAK_LENGKAP: BerkasTidakLengkapEvent,
  BERKAS_DILENGKAPI: WithNote,
  TIDAK_BERWENANG: TidakBerwenangEvent,
  DICABUT: EventBase,
  MEDIASI_DISETUJUI: MediasiDisetujuiEvent,
  MEDIASI_DITOLAK: MediasiDitolakEvent,
  MEDIASI_BERHASIL: MediasiBerhasilEvent,
  MEDIASI_GAGAL: WithReason,
  KESEPAKATAN_DILAKSANAKAN: WithNote,
  KESEPAKATAN_DIINGKARI: WithReason,
};
