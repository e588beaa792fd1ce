import { Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../common/auth.decorators';
import { Clock } from '../common/clock';
import { ConflictError, ForbiddenActionError, InvalidInputError, NotFoundError } from '../common/errors';
import { isUuid } from '../database/query-results';
import { Scope } from '../common/access-policy';
import { CasesService } from './cases.service';
import { queryRows, writeRows } from '../database/sql';

export const ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;

/**
 * The types an attachment is served as: documents and pictures a browser does not run (plain text
 * included: it is never sniffed, always a download, in a sandbox). Anything
 * else (HTML, SVG, scripts, unknown) is stored and served as application/octet-stream, always as
 * a download, so an upload can never become a page on the console's origin.
 */
const SERVABLE_TYPES = new Set([
  'text/plain',
  'application/pdf',
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.ms-powerpoint',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
]);

export function servedType(declared: string | null | undefined): string {
  const type = (declared ?? '').split(';')[0].trim().toLowerCase();
  return SERVABLE_TYPES.has(type) ? type : 'application/octet-stream';
}

export interface UploadedDocument {
  originalname: string;
  mimetype: string;
  size: number;
  buffer: Buffer;
}

const LISTED = `id, file_name AS "fileName", content_type AS "contentType", size_bytes AS "size", sha256, description,
  json_build_object('id', uploaded_by, 'username', uploaded_by_username) AS "uploadedBy", uploaded_at AS "uploadedAt"`;

export interface AttachmentRow {
  id: string;
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
  description: string | null;
  uploadedBy: { id: string; username: string };
  uploadedAt: Date;
}

/** Documents of a case: seen by whoever sees the case, added by those handling it, never altered. */
@Injectable()
export class AttachmentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cases: CasesService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async list(user: AuthUser, caseId: string) {
    const row = await this.cases.findVisible(user, caseId);
    return queryRows<AttachmentRow>(
      this.dataSource,
      `SELECT ${LISTED} FROM case_attachments WHERE case_id = $1 ORDER BY uploaded_at, id`,
      [row.id],
    );
  }

  async add(
    user: AuthUser,
    caseId: string,
    file: UploadedDocument | undefined,
    description: string | undefined,
  ) {
    const row = await this.cases.findVisible(user, caseId);
    if (!Scope.of(user).handles(row.unitCode))
      throw new ForbiddenActionError(
        'Lampiran hanya dapat ditambahkan oleh petugas unit yang menangani kasus',
      );
    if (this.cases.isClosed(row)) {
      throw new ConflictError('Kasus sudah ditutup; lampiran tidak dapat ditambahkan', { state: row.state });
    }
    if (!file || file.size === 0)
      throw new InvalidInputError([
        { field: 'file', reason: 'berkas wajib diunggah dan tidak boleh kosong' },
      ]);
    // Multipart file names arrive as Latin-1 bytes; browsers send UTF-8.
    const fileName =
      Buffer.from(file.originalname, 'latin1')
        .toString('utf8')
        .replace(/[\r\n"\\/]/g, '_')
        .slice(0, 255) || 'lampiran';
    const id = randomUUID();
    const [saved] = await writeRows<AttachmentRow>(
      this.dataSource,
      `INSERT INTO case_attachments (id, case_id, file_name, content_type, size_bytes, sha256, content, description, uploaded_by, uploaded_by_username, uploaded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING ${LISTED}`,
      [
        id,
        row.id,
        fileName,
        servedType(file.mimetype),
        file.size,
        createHash('sha256').update(file.buffer).digest('hex'),
        file.buffer,
        description?.trim() || null,
        user.id,
        user.username,
        this.clock.now(),
      ],
    );
    return saved;
  }

  /** The document itself; reading one is recorded, as it may carry personal data. */
  async read(user: AuthUser, caseId: string, attachmentId: string, address: string) {
    const row = await this.cases.findVisible(user, caseId);
    const [found] = isUuid(attachmentId)
      ? await queryRows<{ fileName: string; contentType: string; content: Buffer }>(
          this.dataSource,
          `SELECT file_name AS "fileName", content_type AS "contentType", content FROM case_attachments WHERE id = $1 AND case_id = $2`,
          [attachmentId, row.id],
        )
      : [];
    if (!found) throw new NotFoundError('Lampiran');
    await this.audit.record({
      actor: user,
      address,
      action: 'ATTACHMENT_READ',
      method: 'GET',
      path: `/api/cases/${row.id}/attachments/${attachmentId}`,
      entityType: 'case',
      entityId: row.id,
      statusCode: 200,
      details: { attachmentId },
    });
    const document = found;
    return { ...document, contentType: servedType(document.contentType) };
  }
}
