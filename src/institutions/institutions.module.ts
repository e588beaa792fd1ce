import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ReferenceModule } from '../reference/reference.module';
import { InstitutionsController } from './institutions.controller';
import { InstitutionsService } from './institutions.service';

/** Owns institutions: the shared register of those who receive letters. */
@Module({
  imports: [AuditModule, ReferenceModule],
  controllers: [InstitutionsController],
  providers: [InstitutionsService],
  exports: [InstitutionsService],
})
export class InstitutionsModule {}
