import { Module } from '@nestjs/common';
import { CalendarsModule } from '../calendars/calendars.module';
import { CasesModule } from '../cases/cases.module';
import { RemindersModule } from '../reminders/reminders.module';
import { UnitsModule } from '../units/units.module';
import { CaseImportService } from './case-import.service';
import { ImportsController } from './imports.controller';

/** Legacy tables, turned into cases through the cases module. */
@Module({
  imports: [CalendarsModule, CasesModule, RemindersModule, UnitsModule],
  controllers: [ImportsController],
  providers: [CaseImportService],
  exports: [],
})
export class ImportsModule {}
