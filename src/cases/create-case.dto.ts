import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsNotEmptyObject,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { IsIsoInstant } from '../common/query-fields';

export class ComplainantDto {
  @ApiProperty()
  @IsString()
  @MinLength(1, { message: 'wajib diisi' })
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsEmail()
  email?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Matches(/^\+?[0-9 ()-]{6,20}$/, { message: 'bukan nomor telepon yang valid' })
  phone?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(500)
  address?: string;

  @ApiPropertyOptional({ description: 'NIK atau nomor identitas lain' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  identityNumber?: string;

  @ApiPropertyOptional({ description: 'identitas dirahasiakan dari surat, ekspor dan pemantau' })
  @IsOptional()
  @IsBoolean()
  confidential?: boolean;
}

export class LocusDto {
  @ApiProperty({ example: 'ID-SS', description: 'kode provinsi, atau NASIONAL / LUAR_NEGERI' })
  @IsString()
  @MinLength(1, { message: 'wajib dipilih' })
  provinceCode: string;

  @ApiPropertyOptional({ example: 'Kota Palembang' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  regency?: string;
}

export class CreateCaseDto {
  @ApiProperty({ example: 'KANWIL-SS' })
  @IsString()
  @MinLength(1, { message: 'wajib dipilih' })
  unitCode: string;

  @ApiProperty({ example: '2026-03-02T09:15:00+07:00' })
  @IsIsoInstant()
  @Matches(/T.*(Z|[+-]\d{2}:?\d{2})$/, { message: 'harus tanggal-waktu ISO 8601 dengan zona waktu' })
  receivedAt: string;

  @ApiProperty({ example: 'SURAT' })
  @IsString()
  @MinLength(1, { message: 'wajib dipilih' })
  channel: string;

  @ApiProperty({ enum: ['LANGSUNG', 'TEMBUSAN'] })
  @IsIn(['LANGSUNG', 'TEMBUSAN'])
  submission: 'LANGSUNG' | 'TEMBUSAN';

  @ApiProperty({ type: ComplainantDto })
  @IsObject()
  @IsNotEmptyObject()
  @ValidateNested()
  @Type(() => ComplainantDto)
  complainant: ComplainantDto;

  @ApiProperty({ type: LocusDto })
  @IsObject()
  @IsNotEmptyObject()
  @ValidateNested()
  @Type(() => LocusDto)
  locus: LocusDto;

  @ApiProperty({ example: ['RASA_AMAN'] })
  @IsArray()
  @ArrayNotEmpty({ message: 'pilih sekurang-kurangnya satu hak' })
  @ArrayUnique()
  @IsString({ each: true })
  rights: string[];

  @ApiProperty({ example: 'PERTANAHAN' })
  @IsString()
  @MinLength(1, { message: 'wajib dipilih' })
  theme: string;

  @ApiProperty({ example: 'KEPOLISIAN' })
  @IsString()
  @MinLength(1, { message: 'wajib dipilih' })
  reportedParty: string;

  @ApiProperty()
  @IsString()
  @MinLength(1, { message: 'wajib diisi' })
  @MaxLength(20000)
  summary: string;
}
