import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../common/auth.decorators';
import { Clock } from '../common/clock';
import { ConflictError, ForbiddenActionError, InvalidInputError, NotFoundError } from '../common/errors';
import { isUuid } from '../database/query-results';
import { OFFICERS, Scope } from '../common/access-policy';
import { NotificationsService } from '../notifications/notifications.service';
import { CasesService } from './cases.service';
import { queryRows } from '../database/sql';
import { newId } from '../common/ids';

export const ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;

/** A complainant's document: smaller, and only what the desk can open safely. */
export const COMPLAINANT_DOCUMENT_MAX_BYTES = 5 * 1024 * 1024;
/** Documents a complainant may send to one case, all rounds together. */
export const COMPLAINANT_DOCUMENTS_PER_CASE = 10;

/** The types a complainant may send, each recognised by its first bytes, not by what is declared. */
const COMPLAINANT_TYPES: { type: string; magic: Buffer }[] = [
  { type: 'application/pdf', magic: Buffer.from('%PDF-') },
  { type: 'image/png', magic: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  { type: 'image/jpeg', magic: Buffer.from([0xff, 0xd8, 0xff]) },
];

/** The type of a complainant's document by its content; null when it is none of PDF, PNG, JPEG. */
export function complainantDocumentType(content: Buffer): string | null {
  return COMPLAINANT_TYPES.find((t) => content.subarray(0, t.magic.length).equals(t.magic))?.type ?? null;
}

/** A multipart file name (Latin-1 bytes of UTF-8) made safe for a header and a file system. */
function safeFileName(originalname: string, fallback: string): string {
  return (
    Buffer.from(originalname, 'latin1')
      .toString('utf8')
      .replace(/[\r\n"\\/]/g, '_')
      .slice(0, 255) || fallback
  );
}

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
  json_build_object('id', uploaded_by, 'username', uploaded_by_username) AS "uploadedBy", uploaded_at AS "uploadedAt", source`;

export interface AttachmentRow {
  id: string;
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
  description: string | null;
  /** The officer; for a complainant's document, no id and the username `pengadu`. */
  uploadedBy: { id: string | null; username: string };
  uploadedAt: Date;
  /** PETUGAS (the desk) or PENGADU (sent by the complainant from the status page). */
  source: 'PETUGAS' | 'PENGADU';
}

/** The uploaded file, or a 400 on `file` when there is none or it is empty. */
function requireFile(file: UploadedDocument | undefined): UploadedDocument {
  if (!file || file.size === 0)
    throw InvalidInputError.field('file', 'berkas wajib diunggah dan tidak boleh kosong');
  return file;
}

/**
 * The one statement that keeps a document of a case, with its SHA-256: uploaded by an officer, or
 * (no uploader) sent by the complainant. Inside the caller's transaction, with its audit row.
 */
function insertDocument(
  em: EntityManager,
  d: {
    caseId: string;
    fileName: string;
    contentType: string;
    file: UploadedDocument;
    description: string | undefined;
    uploader: { id: string; username: string } | null;
    at: Date;
  },
): Promise<AttachmentRow[]> {
  return queryRows<AttachmentRow>(
    em,
    `INSERT INTO case_attachments (id, case_id, file_name, content_type, size_bytes, sha256, content, description,
                                   uploaded_by, uploaded_by_username, uploaded_at, source)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING ${LISTED}`,
    [
      newId(),
      d.caseId,
      d.fileName,
      d.contentType,
      d.file.size,
      createHash('sha256').update(d.file.buffer).digest('hex'),
      d.file.buffer,
      d.description?.trim() || null,
      d.uploader?.id ?? null,
      d.uploader?.username ?? 'pengadu',
      d.at,
      d.uploader ? 'PETUGAS' : 'PENGADU',
    ],
  );
}

/** Documents of a case: seen by whoever sees the case, added by those handling it, never altered. */
@Injectable()
export class AttachmentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cases: CasesService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly notifications: NotificationsService,
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
    const given = requireFile(file);
    const [saved] = await this.dataSource.transaction((em) =>
      insertDocument(em, {
        caseId: row.id,
        // Multipart file names arrive as Latin-1 bytes; browsers send UTF-8.
        fileName: safeFileName(given.originalname, 'lampiran'),
        contentType: servedType(given.mimetype),
        file: given,
        description,
        uploader: { id: user.id, username: user.username },
        at: this.clock.now(),
      }),
    );
    return saved;
  }

  /**
   * The missing documents a complainant sends for a case that waits for them (the caller checked
   * the register number, the tracking code and the stage): PDF, PNG or JPEG by content, at most
   * COMPLAINANT_DOCUMENTS_PER_CASE per case; kept like the desk's attachments (never served inline)
   * and announced to the case's officer, or to the unit's officers while it has none.
   */
  async addFromComplainant(
    caseId: string,
    file: UploadedDocument | undefined,
    description: string | undefined,
  ) {
    const given = requireFile(file);
    const type = complainantDocumentType(given.buffer);
    if (!type) throw InvalidInputError.field('file', 'hanya berkas PDF, JPG atau PNG yang dapat diterima');
    return this.dataSource.transaction(async (em) => {
      // One sender at a time per case, so the bound holds under concurrent uploads.
      const [held] = await queryRows<{ registerNumber: string; unitCode: string; assigneeId: string | null }>(
        em,
        `SELECT register_number AS "registerNumber", unit_code AS "unitCode", assignee_id AS "assigneeId"
           FROM cases WHERE id = $1 FOR UPDATE`,
        [caseId],
      );
      const [{ sent }] = await queryRows<{ sent: number }>(
        em,
        `SELECT count(*)::int AS sent FROM case_attachments WHERE case_id = $1 AND source = 'PENGADU'`,
        [caseId],
      );
      if (sent >= COMPLAINANT_DOCUMENTS_PER_CASE)
        throw InvalidInputError.field(
          'file',
          `paling banyak ${COMPLAINANT_DOCUMENTS_PER_CASE} berkas untuk satu pengaduan; hubungi petugas kami`,
        );
      const [saved] = await insertDocument(em, {
        caseId,
        fileName: safeFileName(given.originalname, 'kelengkapan-berkas'),
        contentType: type,
        file: given,
        description: description?.slice(0, 1000),
        uploader: null,
        at: this.clock.now(),
      });
      const officers = held.assigneeId
        ? [held.assigneeId]
        : (
            await queryRows<{ id: string }>(
              em,
              'SELECT id FROM users WHERE unit_code = $1 AND active AND roles && $2::text[]',
              [held.unitCode, OFFICERS],
            )
          ).map((u) => u.id);
      await this.notifications.notify(em, officers, {
        caseId,
        kind: 'KELENGKAPAN_BERKAS',
        dedupeKey: `complainant-document:${saved.id}`,
        title: `Pengadu mengirim kelengkapan berkas: ${held.registerNumber}`,
        body: `Berkas "${saved.fileName}" diterima dari pengadu melalui halaman status. Periksa kelengkapannya, lalu lanjutkan langkah kasus.`,
      });
      return saved;
    });
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
