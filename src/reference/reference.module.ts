import { Module } from '@nestjs/common';
import { ReferenceController } from './reference.controller';
import { ReferenceValidator } from './reference-validator';

/** Owns reference_items: rights, themes, channels, reported parties. */
@Module({
  imports: [],
  controllers: [ReferenceController],
  providers: [ReferenceValidator],
  exports: [ReferenceValidator],
})
export class ReferenceModule {}
