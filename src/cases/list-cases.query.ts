import { IsCalendarDate, PageField } from '../common/query-fields';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';
import { KATEGORI } from '../../workflows';

/** The columns a case list sorts by (`-` first: descending). */
export const CASE_SORT_COLUMNS = {
  receivedAt: 'c.received_at',
  dueAt: 'c.deadline_due_at',
  registerNumber: 'c.register_number',
  state: 'c.state',
} as const;
export const CASE_SORTS = Object.keys(CASE_SORT_COLUMNS).flatMap((k) => [k, `-${k}`]);
export type CaseSort = keyof typeof CASE_SORT_COLUMNS | `-${keyof typeof CASE_SORT_COLUMNS}`;

export class ListCasesQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  unitCode?: string;

  @ApiPropertyOptional({ description: 'status, atau awalannya (mis. telaah)' })
  @IsOptional()
  @IsString()
  state?: string;

  @ApiPropertyOptional({ enum: KATEGORI })
  @IsOptional()
  @IsIn(KATEGORI)
  category?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @IsOptional()
  @IsIn(['true', 'false'])
  overdue?: 'true' | 'false';

  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @IsOptional()
  @IsIn(['true', 'false'])
  dueSoon?: 'true' | 'false';

  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  year?: number;

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description:
      'antrean kerja: kasus yang ditugaskan kepada pemanggil, dan langkah peran pemanggil yang belum ditugaskan, urut tenggat',
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  mine?: 'true' | 'false';

  @ApiPropertyOptional({ description: 'kasus yang ditugaskan kepada petugas ini (id pengguna)' })
  @IsOptional()
  @IsUUID('all', { message: 'harus id pengguna' })
  assignee?: string;

  @ApiPropertyOptional({
    description:
      'kata pencarian: bagian nomor register, kata ringkasan, kabupaten/kota, nama instansi tujuan (tanpa membedakan huruf besar dan aksen), urut kecocokan',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({
    description: 'nama pengadu (peran penanganan unit sendiri; dicatat seperti membuka identitas)',
  })
  @IsOptional()
  @IsString()
  @MinLength(3, { message: 'minimal 3 huruf' })
  @MaxLength(200)
  complainant?: string;

  @ApiPropertyOptional({ description: 'provinsi lokus (kode)' })
  @IsOptional()
  @IsString()
  @MaxLength(16)
  provinceCode?: string;

  @ApiPropertyOptional({ description: 'kabupaten/kota lokus (tanpa membedakan huruf besar dan aksen)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  regency?: string;

  @ApiPropertyOptional({ description: 'tema (kode)' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  theme?: string;

  @ApiPropertyOptional({ description: 'diterima sejak tanggal ini (YYYY-MM-DD, waktu unit)' })
  @IsOptional()
  @IsCalendarDate()
  receivedFrom?: string;

  @ApiPropertyOptional({ enum: CASE_SORTS, description: 'urutan; awalan - untuk menurun' })
  @IsOptional()
  @IsIn(CASE_SORTS)
  sort?: CaseSort;

  @ApiPropertyOptional({
    enum: ['exact'],
    description: 'exact: hitung semua kasus yang cocok (tanpanya dihitung sampai 50.000; lihat totalExact)',
  })
  @IsOptional()
  @IsIn(['exact'])
  total?: 'exact';

  @PageField()
  page?: number;

  @ApiPropertyOptional({ default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  pageSize?: number;
}
