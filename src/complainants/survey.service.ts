import { HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../common/auth.decorators';
import { ConflictError, InvalidInputError, NotFoundError } from '../common/errors';
import { PublicStatusService } from './public-status.service';
import { hashSurveyToken, newSurveyToken, surveyPageUrl } from './tracking-code';
import { AppConfig } from '../config/app-config';
import { queryRows } from '../database/sql';
import { newId } from '../common/ids';

export const SCALE = [
  { value: 1, label: 'Tidak baik' },
  { value: 2, label: 'Kurang baik' },
  { value: 3, label: 'Baik' },
  { value: 4, label: 'Sangat baik' },
];

class SurveyUsedError extends HttpException {
  constructor() {
    super(
      { statusCode: 410, error: 'Gone', message: 'Survei untuk pengaduan ini sudah diisi; terima kasih' },
      HttpStatus.GONE,
    );
  }
}

/**
 * The satisfaction survey behind a single-use link: the questionnaire is data, every active
 * element is answered on the 1-4 scale, and a response is the unweighted mean of its answers.
 */
@Injectable()
export class SurveyService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly throttle: PublicStatusService,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
  ) {}

  /**
   * A survey invitation for the desk to print: for a complainant without email, or one who asks
   * for it at the desk (recorded). A closed case only; a new desk link replaces an unused desk
   * link, and the emailed link stays valid until the survey is answered; none once it was.
   */
  async deskInvitation(
    actor: AuthUser,
    current: {
      id: string;
      unitCode: string;
      state: string;
      registerNumber: string;
      complainant: { email?: string };
      /** In one of its workflow version's closed states. */
      closed: boolean;
    },
    requestedAtDesk: boolean,
    address: string,
  ) {
    if (!current.closed)
      throw InvalidInputError.field('state', 'survei hanya untuk pengaduan yang sudah selesai atau ditutup');
    if (current.complainant.email && !requestedAtDesk) {
      throw new ConflictError(
        'Pengadu memiliki alamat surel: tautan survei sudah dikirim kepadanya. Cetak undangan hanya bila pengadu memintanya di loket (requestedAtDesk).',
        { requestedAtDesk: false },
      );
    }
    const token = newSurveyToken();
    const invited = await this.dataSource.transaction(async (em) => {
      const [answered] = await queryRows<unknown>(em, 'SELECT 1 FROM survey_responses WHERE case_id = $1', [
        current.id,
      ]);
      if (answered) return [];
      const inserted = await queryRows<{ case_id: string }>(
        em,
        `INSERT INTO survey_invitations (case_id, channel, token_hash, unit_code, created_at) VALUES ($1, 'LOKET', $2, $3, $4)
           ON CONFLICT (case_id, channel) DO UPDATE SET token_hash = EXCLUDED.token_hash, created_at = EXCLUDED.created_at
            WHERE survey_invitations.used_at IS NULL
           RETURNING case_id`,
        [current.id, hashSurveyToken(token), current.unitCode, this.clock.now()],
      );
      await this.audit.record(
        {
          actor,
          address,
          action: 'SURVEY_DESK_INVITATION',
          method: 'POST',
          path: `/api/cases/${current.id}/survey-invitation`,
          entityType: 'case',
          entityId: current.id,
          statusCode: inserted.length ? 200 : 410,
          details: { requestedAtDesk, complainantHasEmail: Boolean(current.complainant.email) },
        },
        em,
      );
      return inserted;
    });
    if (invited.length === 0) throw new SurveyUsedError();
    const url = surveyPageUrl(this.config.PUBLIC_URL, token);
    const text = [
      'SURVEI KEPUASAN MASYARAKAT',
      '',
      `Pengaduan nomor register ${current.registerNumber} telah selesai ditangani.`,
      'Mohon luangkan waktu untuk menilai pelayanan kami (sekali isi) melalui alamat berikut:',
      url,
    ].join('\n');
    return { url, text };
  }

  async questionnaire(token: string, address: string) {
    await this.invitation(token, address);
    return { questions: await this.questions(), scale: SCALE };
  }

  async answer(token: string, body: { answers?: unknown; saran?: unknown }, address: string) {
    await this.invitation(token, address);
    const questions = await this.questions();
    const answers = (body.answers ?? {}) as Record<string, unknown>;
    if (typeof answers !== 'object' || Array.isArray(answers))
      throw InvalidInputError.field('answers', 'harus objek kode unsur ke nilai 1-4');
    const problems = questions
      .filter(
        (q) =>
          !Number.isInteger(answers[q.code]) ||
          (answers[q.code] as number) < 1 ||
          (answers[q.code] as number) > 4,
      )
      .map((q) => ({ field: `answers.${q.code}`, reason: 'wajib diisi dengan nilai bulat 1-4' }));
    for (const code of Object.keys(answers))
      if (!questions.some((q) => q.code === code))
        problems.push({ field: `answers.${code}`, reason: 'unsur tidak dikenal' });
    if (body.saran !== undefined && (typeof body.saran !== 'string' || body.saran.length > 2000))
      problems.push({ field: 'saran', reason: 'teks paling banyak 2000 karakter' });
    if (problems.length) throw new InvalidInputError(problems);
    const kept = Object.fromEntries(questions.map((q) => [q.code, answers[q.code] as number]));
    const score = Object.values(kept).reduce((a, b) => a + b, 0) / questions.length;
    await this.dataSource.transaction(async (em) => {
      // Claiming the invitation and recording the answer are one step: a second submission,
      // even a concurrent one, finds it used.
      const [claimed] = await queryRows<{ case_id: string; unit_code: string; channel: string }>(
        em,
        'UPDATE survey_invitations SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL RETURNING case_id, unit_code, channel',
        [hashSurveyToken(token), this.clock.now()],
      );
      if (!claimed) throw new SurveyUsedError();
      // One answer per case: the case's other invitation (mail or desk) is closed with it.
      await em.query('UPDATE survey_invitations SET used_at = $2 WHERE case_id = $1 AND used_at IS NULL', [
        claimed.case_id,
        this.clock.now(),
      ]);
      const inserted = await queryRows<unknown>(
        em,
        `INSERT INTO survey_responses (id, case_id, unit_code, answered_at, answers, score, suggestion, channel) VALUES ($8, $1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (case_id) DO NOTHING RETURNING case_id`,
        [
          claimed.case_id,
          claimed.unit_code,
          this.clock.now(),
          JSON.stringify(kept),
          score.toFixed(4),
          body.saran ?? null,
          claimed.channel,
          newId(),
        ],
      );
      if (inserted.length === 0) throw new SurveyUsedError();
    });
    return { message: 'Terima kasih atas penilaian Anda' };
  }

  private async invitation(token: string, address: string): Promise<void> {
    await this.throttle.assertNotThrottled(address);
    const [row] = /^[A-Za-z0-9_-]{16,64}$/.test(token)
      ? await queryRows<{ used_at: Date | null }>(
          this.dataSource,
          'SELECT used_at FROM survey_invitations WHERE token_hash = $1',
          [hashSurveyToken(token)],
        )
      : [];
    if (!row) {
      await this.throttle.recordFailure(address);
      throw new NotFoundError('Survei');
    }
    if (row.used_at) throw new SurveyUsedError();
  }

  /** The active elements, each with its own answer words on the 1-4 scale (the generic ones if it has none). */
  private async questions(): Promise<
    { code: string; element: string; question: string; scale: { value: number; label: string }[] }[]
  > {
    const rows = await queryRows<{ code: string; element: string; question: string; words: string[] | null }>(
      this.dataSource,
      'SELECT code, element, question, scale_words AS words FROM survey_questions WHERE active ORDER BY sort_order',
    );
    return rows.map(({ words, ...q }) => ({
      ...q,
      scale: words ? SCALE.map((s, i) => ({ value: s.value, label: words[i] })) : SCALE,
    }));
  }
}
