import { Body, Controller, Get, Param, Patch, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsEmail,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
} from 'class-validator';
import type { Request } from 'express';
import { INSTITUTION_WRITERS } from '../common/access-policy';
import { type AuthUser, clientAddress, CurrentUser, Roles } from '../common/auth.decorators';
import { InstitutionsService } from './institutions.service';

export class CreateInstitutionDto {
  @ApiProperty({ example: 'Kepolisian Daerah Sumatera Selatan' })
  @IsString()
  @MinLength(2)
  @MaxLength(300)
  name: string;

  @ApiProperty()
  @IsEmail()
  email: string;

  @ApiPropertyOptional({ description: 'induk instansi, untuk eskalasi' })
  @IsOptional()
  @IsUUID()
  parentId?: string;

  @ApiPropertyOptional({ type: [String], description: 'alamat lain yang menerima setiap surat' })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(10)
  @IsEmail({}, { each: true })
  extraEmails?: string[];

  @ApiPropertyOptional({ example: 'KEPOLISIAN', description: 'jenis, dari daftar pihak teradu' })
  @IsOptional()
  @IsString()
  type?: string;

  @ApiPropertyOptional({ example: 'ID-SS' })
  @IsOptional()
  @IsString()
  provinceCode?: string;
}

export class UpdateInstitutionDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MinLength(2)
  @MaxLength(300)
  name?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsEmail()
  email?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  parentId?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(10)
  @IsEmail({}, { each: true })
  extraEmails?: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  type?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  provinceCode?: string;
}

@ApiTags('institutions')
@ApiBearerAuth()
@Controller('institutions')
export class InstitutionsController {
  constructor(private readonly institutions: InstitutionsService) {}

  @Post()
  @Roles(...INSTITUTION_WRITERS)
  async create(@CurrentUser() user: AuthUser, @Body() dto: CreateInstitutionDto) {
    return this.institutions.create(user, dto);
  }

  @Get()
  list(@Query('q') q?: string, @Query('provinceCode') provinceCode?: string) {
    return this.institutions.list(q, provinceCode);
  }

  @Get(':id')
  get(@Param('id') id: string) {
    return this.institutions.get(id);
  }

  /**
   * Changes an institution: ADMIN, or a supervisor of the unit that registered it. The change and
   * the values it replaced are audited in the same transaction. Mails already queued keep the
   * addresses they were queued with (the outbox seals them): nothing queued is redirected.
   */
  @Patch(':id')
  @Roles(...INSTITUTION_WRITERS)
  async update(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Body() dto: UpdateInstitutionDto,
    @Req() req: Request,
  ) {
    return this.institutions.update(user, id, dto, clientAddress(req));
  }
}
