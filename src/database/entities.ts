import { CalendarDayOffEntity, CalendarYearEntity } from '../calendars/calendar-day.entity';
import { AuditEntryEntity } from '../audit/audit-entry.entity';
import { OutboxAttemptEntity, OutboxMessageEntity } from '../mail/outbox-message.entity';
import { NotificationEntity } from '../notifications/notification.entity';
import { SlaEscalationEntity } from '../notifications/sla-escalation.entity';
import { UnitSettingsEntity } from '../units/unit-settings.entity';
import {
  DispatchEntity,
  LetterTemplateEntity,
  ReminderEntity,
  ReminderScheduleEntity,
} from '../reminders/reminder.entities';
import { IndicatorTargetEntity } from '../reports/indicator-target.entity';
import { AppSettingEntity } from '../config/app-setting.entity';
import { LoginFailureEntity } from '../auth/login-failure.entity';
import { PublicLookupFailureEntity } from '../complainants/public-lookup-failure.entity';
import { CaseEntity } from '../cases/case.entity';
import { CaseEventEntity } from '../cases/case-event.entity';
import { RegisterCounterEntity } from '../cases/register-counter.entity';
import { InstitutionEntity } from '../institutions/institution.entity';
import { ReferenceItemEntity } from '../reference/reference-item.entity';
import { ProvinceEntity } from '../units/province.entity';
import { UnitEntity } from '../units/unit.entity';
import { UserEntity } from '../users/user.entity';

export const ENTITIES = [
  AppSettingEntity,
  IndicatorTargetEntity,
  DispatchEntity,
  LetterTemplateEntity,
  ReminderEntity,
  ReminderScheduleEntity,
  OutboxAttemptEntity,
  OutboxMessageEntity,
  NotificationEntity,
  SlaEscalationEntity,
  UnitSettingsEntity,
  AuditEntryEntity,
  CalendarDayOffEntity,
  CalendarYearEntity,
  LoginFailureEntity,
  PublicLookupFailureEntity,
  CaseEntity,
  CaseEventEntity,
  RegisterCounterEntity,
  InstitutionEntity,
  ReferenceItemEntity,
  ProvinceEntity,
  UnitEntity,
  UserEntity,
];
