import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { AuthUser, CurrentUser, Roles } from '../common/auth.decorators';
import { Scope } from '../common/access-policy';
import { ADDRESSEES, type Addressee } from './reminder-schedule';
import { ReminderService } from './reminder.service';

export class TemplateDto {
  @ApiProperty()
  @IsString()
  @MinLength(3)
  @MaxLength(300)
  subject: string;

  @ApiProperty({
    description:
      'teks surat; placeholder: {{penerima}}, {{institusi}}, {{nomorSurat}}, {{tanggalSurat}}, {{nomorRegister}}, {{tenggat}}, {{unit}}',
  })
  @IsString()
  @MinLength(10)
  @MaxLength(20000)
  bodyText: string;
}

export class PreviewDto {
  @ApiPropertyOptional({ description: 'pengiriman surat yang nyata; tanpa ini dipakai contoh' })
  @IsOptional()
  @IsUUID()
  dispatchId?: string;
}

export class StageDto {
  @ApiProperty({ example: 'PENGINGAT_I' })
  @IsString()
  code: string;

  @ApiProperty({ example: 0, description: 'hari kerja dari tanggal tenggat (negatif: sebelum)' })
  @IsInt()
  @Min(-30)
  @Max(120)
  offsetDays: number;

  @ApiProperty({ enum: ADDRESSEES, isArray: true })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsIn(ADDRESSEES, { each: true })
  addressees: Addressee[];
}

export class ScheduleDto {
  @ApiProperty({ type: [StageDto] })
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => StageDto)
  stages: StageDto[];
}

@ApiTags('reminders')
@ApiBearerAuth()
@Controller()
export class RemindersController {
  constructor(private readonly reminders: ReminderService) {}

  @Get('letter-templates')
  templates() {
    return this.reminders.templates();
  }

  @Put('letter-templates/:stage')
  @Roles('ADMIN')
  save(@CurrentUser() user: AuthUser, @Param('stage') stage: string, @Body() dto: TemplateDto) {
    return this.reminders.saveTemplate(user, stage, dto.subject, dto.bodyText);
  }

  @Post('letter-templates/:stage/preview')
  @HttpCode(200)
  preview(@CurrentUser() user: AuthUser, @Param('stage') stage: string, @Body() dto: PreviewDto) {
    return this.reminders.preview(user, stage, dto.dispatchId);
  }

  @Get('units/:code/reminder-schedule')
  async schedule(@CurrentUser() user: AuthUser, @Param('code') code: string) {
    Scope.of(user).assertSees(code);
    return { unitCode: code, stages: await this.reminders.schedule(code) };
  }

  @Put('units/:code/reminder-schedule')
  @Roles('ADMIN')
  saveSchedule(@Param('code') code: string, @Body() dto: ScheduleDto) {
    return this.reminders.saveSchedule(code, dto.stages);
  }
}
