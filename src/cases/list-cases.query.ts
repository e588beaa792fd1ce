import { PageField } from '../common/query-fields';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { KATEGORI } from '../../workflows';

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
    description: 'antrean kerja: kasus unit sendiri yang menunggu tindakan peran pemanggil, urut tenggat',
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  mine?: 'true' | 'false';

  @ApiPropertyOptional({ description: 'bagian dari nomor register' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  q?: string;

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
