import { getMetadataStorage, IsOptional, IsString, MinLength } from 'class-validator';
import { EventBase, StopRemindersDto } from '../cases/case-event.dtos';
import { checkInto } from './validation';

class NothingCarried {}

class OptionalNote {
  @IsOptional()
  @IsString()
  @MinLength(3)
  note?: string;
}

describe('checkInto', () => {
  it('finds an empty object wrong for a class that requires a field, each time it is given', () => {
    for (let i = 0; i < 3; i += 1) {
      expect(checkInto(StopRemindersDto, {}).problems).toEqual([{ field: 'reason', reason: 'wajib diisi' }]);
    }
  });

  it('accepts an empty object for classes whose fields are all optional, or that have none', () => {
    for (let i = 0; i < 3; i += 1) {
      expect(checkInto(EventBase, {}).problems).toEqual([]);
      expect(checkInto(NothingCarried, {}).problems).toEqual([]);
      expect(checkInto(OptionalNote, {})).toEqual({ instance: new OptionalNote(), problems: [] });
    }
  });

  it('still checks every non-empty object after an empty one was accepted', () => {
    checkInto(OptionalNote, {});
    expect(checkInto(OptionalNote, { note: 'ab' }).problems).toEqual([
      { field: 'note', reason: 'terlalu pendek (minimal 3 karakter)' },
    ]);
    expect(checkInto(NothingCarried, { extra: 1 }).problems).toEqual([
      { field: 'extra', reason: 'field tidak dikenal' },
    ]);
    // A field given as undefined is a field given: the object is not empty.
    expect(checkInto(StopRemindersDto, { reason: undefined }).problems).toEqual([
      { field: 'reason', reason: 'wajib diisi' },
    ]);
  });
});

describe("class-validator's rules per class, remembered", () => {
  class Base {
    @IsString()
    name!: string;
  }
  class Derived extends Base {
    @IsOptional()
    @IsString()
    note?: string;
  }

  it('looks the rules of a class up once, with those it inherits', () => {
    const storage = getMetadataStorage();
    const first = storage.getTargetValidationMetadatas(Derived, '', false, false);
    expect(storage.getTargetValidationMetadatas(Derived, '', false, false)).toBe(first);
    expect(first.map((m) => m.propertyName).sort()).toEqual(['name', 'note', 'note']);
    expect(checkInto(Derived, { name: 1 }).problems).toEqual([
      { field: 'name', reason: 'harus berupa teks' },
    ]);
  });

  it('sees a rule registered after the class was validated', () => {
    class Late {
      @IsOptional()
      @IsString()
      code?: string;
    }
    expect(checkInto(Late, { code: 'ok' }).problems).toEqual([]);
    MinLength(5)(Late.prototype, 'code');
    expect(checkInto(Late, { code: 'ok' }).problems).toEqual([
      { field: 'code', reason: 'terlalu pendek (minimal 5 karakter)' },
    ]);
  });
});
