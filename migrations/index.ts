/** Every migration, in order. Shipped migrations are never edited; changes are new files. */
import { InitialSchema1795400000000 } from './1795400000000-initial-schema';
import { SeedReferenceData1795400000001 } from './1795400000001-seed-reference-data';
import { SlaCalendars1795400000002 } from './1795400000002-sla-calendars';
import { AuditLog1795400000003 } from './1795400000003-audit-log';
import { SlaSweepOutbox1795400000004 } from './1795400000004-sla-sweep-outbox';
import { Reminders1795400000005 } from './1795400000005-reminders';
import { Reports1795400000006 } from './1795400000006-reports';
import { FirstResponse1795400000007 } from './1795400000007-first-response';
import { ComplainantTracking1795400000008 } from './1795400000008-complainant-tracking';
import { SatisfactionSurvey1795400000009 } from './1795400000009-satisfaction-survey';
import { CaseAttachments1795400000010 } from './1795400000010-case-attachments';
import { SessionVersion1795400000011 } from './1795400000011-session-version';
import { SealedOutbox1795400000012 } from './1795400000012-sealed-outbox';
import { RegisterCountersPastImports1795400000013 } from './1795400000013-register-counters-past-imports';
import { InstitutionOwner1795400000014 } from './1795400000014-institution-owner';
import { SurveyChannels1795400000015 } from './1795400000015-survey-channels';
import { PasswordTriesInFlight1795400000016 } from './1795400000016-password-tries-in-flight';
import { MailLeaseHolder1795400000017 } from './1795400000017-mail-lease-holder';
import { SlaCheckFailures1795400000018 } from './1795400000018-sla-check-failures';
import { CalendarRevision1795400000019 } from './1795400000019-calendar-revision';
import { ConfigurationRevision1795400000020 } from './1795400000020-configuration-revision';
import { ReminderCheckFailures1795400000021 } from './1795400000021-reminder-check-failures';
import { DispatchStops1795400000022 } from './1795400000022-dispatch-stops';
import { UnitWorkflowVersion1795400000023 } from './1795400000023-unit-workflow-version';
import { DeskWork1795400000024 } from './1795400000024-desk-work';
import { LettersOut1795400000025 } from './1795400000025-letters-out';
import { ComplainantDocuments1795400000026 } from './1795400000026-complainant-documents';
import { SurveyScaleWords1795400000027 } from './1795400000027-survey-scale-words';
import { CaseViews1795400000028 } from './1795400000028-case-views';
import { ListIndexes1795400000029 } from './1795400000029-list-indexes';
import { SearchOffTheCaseRow1795400000030 } from './1795400000030-search-off-the-case-row';
import { CaseSearchPerStatement1795400000031 } from './1795400000031-case-search-per-statement';
import { BroadSearchOnTheCaseRow1795400000032 } from './1795400000032-broad-search-on-the-case-row';
import { ReportsReadTheirIndexes1795400000033 } from './1795400000033-reports-read-their-indexes';
import { PrimaryKeyCovers1795400000034 } from './1795400000034-primary-key-covers';
import { CategorySince1795400000035 } from './1795400000035-category-since';
import { FollowUpsOnTheHistory1795400000036 } from './1795400000036-follow-ups-on-the-history';
import { IdsFromTheService1795400000037 } from './1795400000037-ids-from-the-service';

export const MIGRATIONS = [
  InitialSchema1795400000000,
  SeedReferenceData1795400000001,
  SlaCalendars1795400000002,
  AuditLog1795400000003,
  SlaSweepOutbox1795400000004,
  Reminders1795400000005,
  Reports1795400000006,
  FirstResponse1795400000007,
  ComplainantTracking1795400000008,
  SatisfactionSurvey1795400000009,
  CaseAttachments1795400000010,
  SessionVersion1795400000011,
  SealedOutbox1795400000012,
  RegisterCountersPastImports1795400000013,
  InstitutionOwner1795400000014,
  SurveyChannels1795400000015,
  PasswordTriesInFlight1795400000016,
  MailLeaseHolder1795400000017,
  SlaCheckFailures1795400000018,
  CalendarRevision1795400000019,
  ConfigurationRevision1795400000020,
  ReminderCheckFailures1795400000021,
  DispatchStops1795400000022,
  UnitWorkflowVersion1795400000023,
  DeskWork1795400000024,
  LettersOut1795400000025,
  ComplainantDocuments1795400000026,
  SurveyScaleWords1795400000027,
  CaseViews1795400000028,
  ListIndexes1795400000029,
  SearchOffTheCaseRow1795400000030,
  CaseSearchPerStatement1795400000031,
  BroadSearchOnTheCaseRow1795400000032,
  ReportsReadTheirIndexes1795400000033,
  PrimaryKeyCovers1795400000034,
  CategorySince1795400000035,
  FollowUpsOnTheHistory1795400000036,
  IdsFromTheService1795400000037,
];
