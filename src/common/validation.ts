import { ValidationError, ValidationPipe } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { FieldProblem, InvalidInputError } from './errors';
import { CALENDAR_DATE_REASON } from './query-fields';

/** Constraints on the kind of a value; when one fails, the value's bounds are beside the point. */
const KIND_CONSTRAINTS: ReadonlySet<string> = new Set([
  'isString',
  'isBoolean',
  'isInt',
  'isNumber',
  'isArray',
  'isISO8601',
  // class-validator names IsISO8601's constraint so.
  'isIso8601',
  'isDateString',
  'isObject',
]);

/** Indonesian reasons for class-validator's constraints; the console shows them to officers. */
const REASONS: Record<string, (c: string) => string> = {
  whitelistValidation: () => 'field tidak dikenal',
  isNotEmpty: () => 'wajib diisi',
  isDefined: () => 'wajib diisi',
  isString: () => 'harus berupa teks',
  isBoolean: () => 'harus true atau false',
  isInt: () => 'harus bilangan bulat',
  isNumber: () => 'harus berupa angka',
  isEmail: () => 'bukan alamat email yang valid',
  isUUID: () => 'bukan id yang valid (UUID)',
  isUuid: () => 'bukan id yang valid (UUID)',
  isArray: () => 'harus berupa daftar',
  arrayNotEmpty: () => 'tidak boleh kosong',
  arrayUnique: () => 'tidak boleh ada yang ganda',
  isISO8601: () => 'harus tanggal-waktu ISO 8601 dengan zona waktu, mis. 2026-01-05T09:00:00+07:00',
  isIso8601: () => 'harus tanggal-waktu ISO 8601 dengan zona waktu, mis. 2026-01-05T09:00:00+07:00',
  isObject: () => 'harus berupa objek',
  nestedValidation: () => 'harus berupa objek',
  isCalendarDate: () => CALENDAR_DATE_REASON,
};

function reasonOf(constraint: string, message: string): string {
  const known = REASONS[constraint];
  if (known) return known(message);
  if (constraint === 'isIn' || constraint === 'isEnum') {
    const list = message.split(': ').slice(1).join(': ');
    return list ? `harus salah satu dari: ${list}` : message;
  }
  if (constraint === 'maxLength')
    return `terlalu panjang (${message.replace(/.*equal to (\d+).*/, 'maksimal $1 karakter')})`;
  if (constraint === 'minLength')
    return `terlalu pendek (${message.replace(/.*equal to (\d+).*/, 'minimal $1 karakter')})`;
  if (constraint === 'isLength') {
    const limit = /equal to (\d+)/.exec(message)?.[1];
    return message.includes('longer')
      ? `terlalu pendek (minimal ${limit} karakter)`
      : `terlalu panjang (maksimal ${limit} karakter)`;
  }
  if (constraint === 'min') return `tidak boleh kurang dari ${message.replace(/.*less than /, '')}`;
  if (constraint === 'max') return `tidak boleh lebih dari ${message.replace(/.*greater than /, '')}`;
  return message;
}

export function flatten(errors: ValidationError[], prefix = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = prefix
      ? /^\d+$/.test(error.property)
        ? `${prefix}[${error.property}]`
        : `${prefix}.${error.property}`
      : error.property;
    const constraints = Object.entries(error.constraints ?? {});
    // A missing or empty value trips every rule of its field; one reason says it better.
    const missing =
      constraints.length > 0 &&
      (error.value === undefined || error.value === null || error.value === '') &&
      !error.constraints?.whitelistValidation;
    // A value of the wrong kind ("pagi" for a number) trips its bounds too, with reasons that
    // contradict each other; its kind is the one thing to say.
    const wrongKind = constraints.filter(([constraint]) => KIND_CONSTRAINTS.has(constraint));
    const own = missing
      ? [{ field, reason: 'wajib diisi' }]
      : (wrongKind.length ? wrongKind : constraints).map(([constraint, message]) => ({
          field,
          reason: reasonOf(constraint, message),
        }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/**
 * class-validator looks a class's rules up anew on every validation: it filters its whole store
 * and tests every class it knows for inheritance (MetadataStorage.getTargetValidationMetadatas),
 * the larger part of validating a small payload. The rules are registered by decorators as their
 * classes load, so the answer for a class and a set of options is remembered once asked, and all
 * answers are forgotten whenever another rule is registered. The store is one per process, shared
 * by every validation (the pipe's, checkInto's, the configuration's), so it is set up once here.
 */
function rememberRulesPerClass(): void {
  type Target = abstract new (...args: never[]) => unknown;
  type Lookup = (
    target: Target,
    schema: string,
    always: boolean,
    strictGroups: boolean,
    groups?: string[],
  ) => ValidationMetadata[];
  const storage = getMetadataStorage() as unknown as {
    getTargetValidationMetadatas: Lookup & { remembered?: true };
    addValidationMetadata(metadata: never): void;
    addConstraintMetadata(metadata: never): void;
  };
  if (storage.getTargetValidationMetadatas.remembered) return;
  const lookup = storage.getTargetValidationMetadatas.bind(storage) as Lookup;
  let answers = new WeakMap<Target, Map<string, ValidationMetadata[]>>();
  const remembered: Lookup & { remembered?: true } = (target, schema, always, strictGroups, groups) => {
    if (typeof target !== 'function') return lookup(target, schema, always, strictGroups, groups);
    const key = `${schema}|${always}|${strictGroups}|${groups?.join(',') ?? ''}`;
    let byOptions = answers.get(target);
    if (!byOptions) answers.set(target, (byOptions = new Map<string, ValidationMetadata[]>()));
    let rules = byOptions.get(key);
    if (!rules) byOptions.set(key, (rules = lookup(target, schema, always, strictGroups, groups)));
    return rules;
  };
  remembered.remembered = true;
  storage.getTargetValidationMetadatas = remembered;
  for (const add of ['addValidationMetadata', 'addConstraintMetadata'] as const) {
    const register = storage[add].bind(storage);
    storage[add] = (metadata: never) => {
      answers = new WeakMap();
      register(metadata);
    };
  }
}
rememberRulesPerClass();

export const VALIDATION_OPTIONS = { whitelist: true, forbidNonWhitelisted: true } as const;

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    ...VALIDATION_OPTIONS,
    transform: true,
    exceptionFactory: (errors) => new InvalidInputError(flatten(errors)),
  });
}

// A class may declare no field at all (an event that carries nothing): then every field given
// is refused by name, which `forbidUnknownValues` would turn into one nameless error.
const CHECK_OPTIONS = { ...VALIDATION_OPTIONS, forbidUnknownValues: false } as const;

/**
 * Whether each class accepts an empty object, learnt on its first empty one. Most workflow events
 * carry nothing but their type, and an empty object's verdict depends on its class alone (its
 * rules see no value), while validating it walks all of class-validator's metadata every time.
 */
const emptyAccepted = new WeakMap<object, boolean>();

/** A plain object as an instance of a DTO class, with what is wrong in it (nothing if valid). */
export function checkInto<T extends object>(
  cls: new () => T,
  plain: object,
  prefix = '',
): { instance: T; problems: FieldProblem[] } {
  const instance = plainToInstance(cls, plain);
  const empty = Object.keys(plain).length === 0;
  if (empty && emptyAccepted.get(cls)) return { instance, problems: [] };
  const errors = validateSync(instance, CHECK_OPTIONS);
  if (empty) emptyAccepted.set(cls, errors.length === 0);
  return { instance, problems: errors.length > 0 ? flatten(errors, prefix) : [] };
}

/** Validates a plain object against a DTO class outside the pipe (e.g. per event type). */
export function validateInto<T extends object>(cls: new () => T, plain: object, prefix = ''): T {
  const { instance, problems } = checkInto(cls, plain, prefix);
  if (problems.length > 0) throw new InvalidInputError(problems);
  return instance;
}
