import { Body, Controller, HttpCode, Post, Req, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import type { Request } from 'express';
import { clientAddress, Public } from '../common/auth.decorators';
import { ConflictError } from '../common/errors';
import { PublicStatusService, TrackedCaseFields } from '../complainants/public-status.service';
import {
  AttachmentsService,
  COMPLAINANT_DOCUMENT_MAX_BYTES,
  type UploadedDocument,
} from './attachments.service';

export class ComplainantDocumentFields extends TrackedCaseFields {
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  description?: string;
}

/**
 * The complainant's missing documents, sent from the status page with the register number and the
 * tracking code while the case waits for them. A wrong code spends a try as a status lookup does.
 */
@ApiTags('public')
@Public()
@Controller('public/documents')
export class ComplainantDocumentsController {
  constructor(
    private readonly status: PublicStatusService,
    private readonly attachments: AttachmentsService,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['registerNumber', 'trackingCode', 'file'],
      properties: {
        registerNumber: { type: 'string' },
        trackingCode: { type: 'string' },
        description: { type: 'string' },
        file: { type: 'string', format: 'binary' },
      },
    },
  })
  @UseInterceptors(
    FileInterceptor('file', { limits: { fileSize: COMPLAINANT_DOCUMENT_MAX_BYTES, files: 1 } }),
  )
  async send(
    @Body() fields: ComplainantDocumentFields,
    @UploadedFile() file: UploadedDocument | undefined,
    @Req() req: Request,
  ) {
    const found = await this.status.verified(fields.registerNumber, fields.trackingCode, clientAddress(req));
    if (!(await this.status.awaitsDocuments(found)))
      throw new ConflictError('Pengaduan ini tidak sedang menunggu kelengkapan berkas dari Anda');
    const saved = await this.attachments.addFromComplainant(found.id, file, fields.description);
    // What the complainant needs to see: that it arrived. Nothing of the case beyond its number.
    return {
      registerNumber: found.register_number,
      fileName: saved.fileName,
      contentType: saved.contentType,
      size: saved.size,
      receivedAt: saved.uploadedAt,
    };
  }
}
