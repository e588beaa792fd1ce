/**
 * The payload of each version-1 event beyond what every event may carry (its date, a note, a late
 * record's reason; those are the service's): validated by the service, so a field this version
 * does not know is refused by name.
 */
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
} from 'class-validator';
import type { WorkflowDefinition } from '../../types';

/** An event that carries nothing of its own. */
export class NoPayload {}

/** A filing or a suspension: why. */
class ReasonEvent {
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  reason: string;
}

/** A filing: why, and for a repeated complaint (reason DUPLIKAT) the earlier case it repeats. */
class FileEvent extends ReasonEvent {
  @IsOptional()
  @IsUUID('all', { message: 'harus id kasus' })
  duplicateOf?: string;
}

/** The head's order to handle a case, naming the officer whose work it is (else the unit's queue). */
class PenugasanEvent {
  @IsOptional()
  @IsUUID('all', { message: 'harus id petugas' })
  assigneeId?: string;
}

class SetujuiTelaahEvent {
  // The conclusions a version offers are its PILIHAN check's.
  @IsString()
  @MinLength(1)
  kesimpulan: string;

  @IsBoolean()
  audiensi: boolean;
}

class KirimSuratEvent {
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

  /** The signed letter, uploaded to the case as a PDF: mailed to each institution with a cover text. */
  @IsOptional()
  @IsUUID('all')
  letterAttachmentId?: string;
}

class TanggapanEvent {
  @IsUUID('all')
  institutionId: string;

  @IsString()
  @MinLength(1)
  @MaxLength(20000)
  summary: string;
}

class LimpahkanEvent {
  @IsString()
  @MinLength(1)
  unitCode: string;
}

class BerkasTidakLengkapEvent {
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  kekurangan: string;
}

class TidakBerwenangEvent {
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  referral: string;
}

export const PAYLOADS: WorkflowDefinition['payloads'] = {
  DISPOSISI: NoPayload,
  FILE: FileEvent,
  REKOMENDASI_SEGERA: PenugasanEvent,
  TELAAH: PenugasanEvent,
  AJUKAN_TELAAH: NoPayload,
  TOLAK_TELAAH: NoPayload,
  SETUJUI_TELAAH: SetujuiTelaahEvent,
  AUDIENSI_SELESAI: NoPayload,
  AJUKAN_SURAT: NoPayload,
  TOLAK_SURAT: NoPayload,
  SETUJUI_SURAT: NoPayload,
  KIRIM_SURAT: KirimSuratEvent,
  TANGGAPAN: TanggapanEvent,
  SELESAI: NoPayload,
  TINDAK_LANJUT_ULANG: NoPayload,
  TUNDA: ReasonEvent,
  LANJUTKAN: NoPayload,
  LIMPAHKAN: LimpahkanEvent,
  BERKAS_TIDAK_LENGKAP: BerkasTidakLengkapEvent,
  BERKAS_DILENGKAPI: NoPayload,
  TIDAK_BERWENANG: TidakBerwenangEvent,
  DICABUT: NoPayload,
};
