import {
  IsDefined,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { IsIsoInstant } from '../common/query-fields';

/** Fields every event may carry, whatever its workflow version; the rest is its pack's payload. */
export class EventBase {
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

  @IsOptional()
  @IsString()
  @MaxLength(5000)
  catatan?: string;
}

/** The fields of EventBase: a body's other fields are its event's payload. */
export const BASE_FIELDS: readonly string[] = [
  'type',
  'occurredAt',
  'alasanTerlambat',
  'pengingatTerbuka',
  'catatan',
];

/** A decision to stop the reminders to one institution of a case. */
export class StopRemindersDto {
  @IsString()
  @MinLength(5)
  @MaxLength(1000)
  reason: string;
}

/** Who the case is given to: an officer of its unit, or null for the unit's shared queue. */
export class AssignDto {
  @IsDefined({ message: 'wajib diisi (null untuk antrean bersama unit)' })
  @ValidateIf((o: AssignDto) => o.userId !== null)
  @IsUUID('all', { message: 'harus id petugas atau null' })
  userId: string | null;
}

/** An internal note of the unit's handling staff. */
export class NoteDto {
  @IsString()
  @MinLength(1, { message: 'wajib diisi' })
  @MaxLength(5000)
  text: string;
}
