import { Body, Controller, Get, Param, Post, Req, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import type { Request, Response } from 'express';
import { AuthUser, clientAddress, CurrentUser } from '../common/auth.decorators';
import { ATTACHMENT_MAX_BYTES, AttachmentsService, type UploadedDocument } from './attachments.service';

export class AttachmentFieldsDto {
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  description?: string;
}

@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases/:id/attachments')
export class AttachmentsController {
  constructor(private readonly attachments: AttachmentsService) {}

  @Get()
  list(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    return this.attachments.list(user, id);
  }

  @Post()
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: { file: { type: 'string', format: 'binary' }, description: { type: 'string' } },
    },
  })
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: ATTACHMENT_MAX_BYTES, files: 1 } }))
  async add(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @UploadedFile() file: UploadedDocument | undefined,
    @Body() fields: AttachmentFieldsDto,
  ) {
    return this.attachments.add(user, id, file, fields.description);
  }

  @Get(':attachmentId')
  async download(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Param('attachmentId') attachmentId: string,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const found = await this.attachments.read(user, id, attachmentId, clientAddress(req));
    res.setHeader('Content-Type', found.contentType);
    res.setHeader(
      'Content-Disposition',
      `attachment; filename*=UTF-8''${encodeURIComponent(found.fileName)}`,
    );
    res.setHeader('Cache-Control', 'private, no-store');
    // Never run as a page, whatever it holds: no sniffing, and a sandbox with no origin and no scripts.
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', "sandbox; default-src 'none'");
    res.end(found.content);
  }
}
