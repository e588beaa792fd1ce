import { Module } from '@nestjs/common';
import { UnitDirectory } from './unit-directory';
import { UnitsController } from './units.controller';
import { UnitsService } from './units.service';

/** Owns units, provinces and unit_settings. */
@Module({
  imports: [],
  controllers: [UnitsController],
  providers: [UnitDirectory, UnitsService],
  exports: [UnitDirectory, UnitsService],
})
export class UnitsModule {}
