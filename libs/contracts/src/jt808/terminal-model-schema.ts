/**
 * The JSON Schema of a terminal model (POST / PATCH /api/v1/terminal-models) and the checks a
 * schema cannot say (bands ordered and apart, a table's values unique, a field inside 32 bits). One
 * schema validates at the HTTP edge, documents the body in OpenAPI and types the console's form.
 * Every array and string is bounded, so a mapping costs at most a few kilobytes to store and a few
 * hundred comparisons to read.
 */
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import type { TerminalModelInput, TerminalModelMapping } from './terminal-model.js';

export const TERMINAL_MODEL_LIMITS = {
  textMax: 100,
  notesMax: 2000,
  tableEntriesMax: 16,
  bandsMax: 8,
  paramsMax: 200,
  bodyTemplateMax: 512,
  parametersMax: 16,
  stringParameterMax: 64,
  voltageAbsMax: 1000,
} as const;

const L = TERMINAL_MODEL_LIMITS;
const byte = { type: 'integer', minimum: 0, maximum: 255 } as const;
const statusBit = { type: 'integer', minimum: 0, maximum: 31 } as const;

function twoStateSources(states: readonly [string, string], tableStates: readonly string[]): object[] {
  return [
    {
      type: 'object',
      properties: { from: { const: 'status-bit' }, bit: statusBit, whenSet: { enum: states } },
      required: ['from', 'bit', 'whenSet'],
      additionalProperties: false,
    },
    {
      type: 'object',
      properties: { from: { const: 'item-bits' }, itemId: byte, offset: byte, mask: { type: 'integer', minimum: 1, maximum: 255 }, whenSet: { enum: states } },
      required: ['from', 'itemId', 'offset', 'mask', 'whenSet'],
      additionalProperties: false,
    },
    itemValues(tableStates),
  ];
}

function itemValues(states: readonly string[]): object {
  return {
    type: 'object',
    properties: {
      from: { const: 'item-values' },
      itemId: byte,
      offset: byte,
      values: {
        type: 'array',
        minItems: 1,
        maxItems: L.tableEntriesMax,
        items: { type: 'object', properties: { value: byte, state: { enum: states } }, required: ['value', 'state'], additionalProperties: false },
      },
    },
    required: ['from', 'itemId', 'offset', 'values'],
    additionalProperties: false,
  };
}

const LOAD_STATES = ['empty', 'half', 'full', 'overload'] as const;
const volts = { type: 'number', minimum: -L.voltageAbsMax, maximum: L.voltageAbsMax } as const;

const commandSchema = {
  type: 'object',
  discriminator: { propertyName: 'via' },
  properties: { via: { type: 'string' } },
  required: ['via'],
  oneOf: [
    {
      type: 'object',
      properties: { via: { const: 'terminal-control' }, command: { type: 'integer', minimum: 1, maximum: 255 }, params: { type: 'string', maxLength: L.paramsMax } },
      required: ['via', 'command', 'params'],
      additionalProperties: false,
    },
    {
      type: 'object',
      properties: {
        via: { const: 'vendor-message' },
        messageId: { type: 'integer', minimum: 0, maximum: 0xffff },
        bodyTemplate: { type: 'string', maxLength: L.bodyTemplateMax, pattern: '^([0-9A-Fa-f]{2}|\\{speedKmh:u(8|16)\\})*$' },
      },
      required: ['via', 'messageId', 'bodyTemplate'],
      additionalProperties: false,
    },
    {
      type: 'object',
      properties: {
        via: { const: 'set-parameters' },
        parameters: {
          type: 'array',
          minItems: 1,
          maxItems: L.parametersMax,
          items: {
            type: 'object',
            properties: {
              id: { type: 'integer', minimum: 0, maximum: 0xffffffff },
              type: { enum: ['byte', 'word', 'dword', 'string'] },
              value: { type: ['integer', 'string'], minimum: 0, maximum: 0xffffffff, maxLength: L.stringParameterMax },
            },
            required: ['id', 'type', 'value'],
            additionalProperties: false,
          },
        },
      },
      required: ['via', 'parameters'],
      additionalProperties: false,
    },
  ],
} as const;

export const TERMINAL_MODEL_MAPPING_SCHEMA = {
  $id: 'https://muckwatch.example/schemas/terminal-model-mapping.json',
  type: 'object',
  properties: {
    cover: { type: 'object', discriminator: { propertyName: 'from' }, properties: { from: { type: 'string' } }, required: ['from'], oneOf: twoStateSources(['open', 'closed'], ['closed', 'open', 'partial', 'fault']) },
    body: { type: 'object', discriminator: { propertyName: 'from' }, properties: { from: { type: 'string' } }, required: ['from'], oneOf: twoStateSources(['raised', 'down'], ['down', 'raised', 'fault']) },
    load: {
      type: 'object',
      discriminator: { propertyName: 'from' },
      properties: { from: { type: 'string' } },
      required: ['from'],
      oneOf: [
        {
          type: 'object',
          properties: {
            from: { const: 'status-field' },
            bit: statusBit,
            width: { type: 'integer', minimum: 1, maximum: 4 },
            values: {
              type: 'array',
              minItems: 1,
              maxItems: L.tableEntriesMax,
              items: {
                type: 'object',
                properties: { value: { type: 'integer', minimum: 0, maximum: 15 }, state: { enum: LOAD_STATES } },
                required: ['value', 'state'],
                additionalProperties: false,
              },
            },
          },
          required: ['from', 'bit', 'width', 'values'],
          additionalProperties: false,
        },
        itemValues(LOAD_STATES),
        {
          type: 'object',
          properties: {
            from: { const: 'voltage' },
            itemId: byte,
            offset: byte,
            width: { enum: [1, 2, 4] },
            scaleV: { type: 'number', exclusiveMinimum: 0, maximum: 1000 },
            bands: {
              type: 'array',
              minItems: 1,
              maxItems: L.bandsMax,
              items: { type: 'object', properties: { state: { enum: LOAD_STATES }, minV: volts, maxV: volts }, required: ['state', 'minV', 'maxV'], additionalProperties: false },
            },
          },
          required: ['from', 'itemId', 'offset', 'width', 'scaleV', 'bands'],
          additionalProperties: false,
        },
      ],
    },
    commands: {
      type: 'object',
      properties: {
        lock: commandSchema,
        unlock: commandSchema,
        speedCap: commandSchema,
        speedRelease: commandSchema,
        liftInhibit: commandSchema,
        liftRelease: commandSchema,
      },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
} as const;

const text = (max: number) => ({ type: 'string', minLength: 1, maxLength: max, pattern: '\\S' }) as const;
const optionalText = (max: number) => ({ type: ['string', 'null'], maxLength: max }) as const;

/** POST /api/v1/terminal-models. */
export const TERMINAL_MODEL_CREATE_SCHEMA = {
  type: 'object',
  properties: {
    maker: text(L.textMax),
    model: optionalText(L.textMax),
    name: text(L.textMax),
    notes: optionalText(L.notesMax),
    mapping: { $ref: TERMINAL_MODEL_MAPPING_SCHEMA.$id },
  },
  required: ['maker', 'name', 'mapping'],
  additionalProperties: false,
} as const;

/** PATCH /api/v1/terminal-models/{id}: any subset; a mapping given replaces the whole mapping. */
export const TERMINAL_MODEL_PATCH_SCHEMA = { ...TERMINAL_MODEL_CREATE_SCHEMA, required: [] } as const;

/** One thing wrong with a body: the field (dotted path), a stable code (libs/contracts/src/i18n/api-errors.ts) and its params. */
export interface TerminalModelProblem {
  field: string;
  code: string;
  params: Record<string, unknown>;
  message: string;
}

const ajv = new Ajv2020({ allErrors: false, strict: true, allowUnionTypes: true, discriminator: true });
ajv.addSchema(TERMINAL_MODEL_MAPPING_SCHEMA);
const validateCreate = ajv.compile(TERMINAL_MODEL_CREATE_SCHEMA);
const validatePatch = ajv.compile(TERMINAL_MODEL_PATCH_SCHEMA);
const validateMapping = ajv.getSchema(TERMINAL_MODEL_MAPPING_SCHEMA.$id)!;

function schemaProblem(error: ErrorObject, prefix: string): TerminalModelProblem {
  let path = error.instancePath.replace(/^\//, '').replaceAll('/', '.');
  const p = error.params as Record<string, unknown>;
  if (error.keyword === 'required') path = path ? `${path}.${String(p['missingProperty'])}` : String(p['missingProperty']);
  if (error.keyword === 'additionalProperties') path = path ? `${path}.${String(p['additionalProperty'])}` : String(p['additionalProperty']);
  // A discriminator naming no known variant (`from: 'gpio'`): the discriminating field is to blame.
  if (error.keyword === 'discriminator') path = path ? `${path}.${String(p['tag'])}` : String(p['tag']);
  const field = [prefix, path].filter(Boolean).join('.') || 'body';
  const params: Record<string, unknown> = { field, rule: error.keyword };
  if (typeof p['limit'] === 'number') params['limit'] = p['limit'];
  if (Array.isArray(p['allowedValues'])) params['allowed'] = p['allowedValues'];
  if (p['allowedValue'] !== undefined) params['allowed'] = p['allowedValue'];
  if (p['type'] !== undefined) params['type'] = p['type'];
  const message =
    error.keyword === 'required' ? `${field} is required` : error.keyword === 'additionalProperties' ? `${field} is not a known field` : `${field} ${error.message ?? 'is invalid'}`;
  return { field, code: 'input.invalid', params, message };
}

function problem(field: string, code: string, message: string, params: Record<string, unknown> = {}): TerminalModelProblem {
  return { field, code, params: { field, ...params }, message };
}

/** What a schema cannot check; the mapping has passed the schema. */
function mappingRules(mapping: TerminalModelMapping, prefix: string): TerminalModelProblem | null {
  const tables: Array<[string, Array<{ value: number }> | undefined]> = [
    ['cover', mapping.cover?.from === 'item-values' ? mapping.cover.values : undefined],
    ['body', mapping.body?.from === 'item-values' ? mapping.body.values : undefined],
    ['load', mapping.load?.from === 'item-values' || mapping.load?.from === 'status-field' ? mapping.load.values : undefined],
  ];
  for (const [part, values] of tables) {
    if (!values) continue;
    const seen = new Set<number>();
    for (const [i, entry] of values.entries()) {
      if (seen.has(entry.value)) return problem(`${prefix}.${part}.values.${i}.value`, 'terminal_model.value_repeated', `value ${entry.value} appears twice in the table`, { value: entry.value });
      seen.add(entry.value);
    }
  }
  const load = mapping.load;
  if (load?.from === 'status-field') {
    if (load.bit + load.width > 32) return problem(`${prefix}.load.width`, 'terminal_model.field_outside_status', `bits ${load.bit}…${load.bit + load.width - 1} lie outside the 32-bit status word`);
    for (const [i, entry] of load.values.entries()) {
      if (entry.value >= 2 ** load.width) {
        return problem(`${prefix}.load.values.${i}.value`, 'terminal_model.value_too_wide', `value ${entry.value} does not fit in ${load.width} bits`, { value: entry.value, width: load.width });
      }
    }
  }
  if (load?.from === 'voltage') {
    for (const [i, band] of load.bands.entries()) {
      if (band.minV >= band.maxV) return problem(`${prefix}.load.bands.${i}.maxV`, 'terminal_model.band_empty', `band ${i}: maxV must be above minV`, { index: i });
      const previous = load.bands[i - 1];
      if (previous && band.minV < previous.maxV) {
        return problem(`${prefix}.load.bands.${i}.minV`, 'terminal_model.bands_overlap', `band ${i} must start at or above the end of band ${i - 1} (bands ordered by voltage, not overlapping)`, { index: i });
      }
    }
  }
  for (const [action, command] of Object.entries(mapping.commands ?? {})) {
    if (command.via !== 'set-parameters') continue;
    for (const [i, parameter] of command.parameters.entries()) {
      const field = `${prefix}.commands.${action}.parameters.${i}.value`;
      const max = { byte: 0xff, word: 0xffff, dword: 0xffffffff, string: 0 }[parameter.type];
      if (parameter.type === 'string') {
        if (typeof parameter.value !== 'string') return problem(field, 'terminal_model.parameter_value_invalid', `a string parameter needs a string value`, { type: parameter.type });
      } else if (typeof parameter.value === 'string' ? parameter.value !== '{speedKmh}' : parameter.value > max) {
        return problem(field, 'terminal_model.parameter_value_invalid', `a ${parameter.type} parameter needs an integer 0–${max} or '{speedKmh}'`, { type: parameter.type });
      }
    }
  }
  return null;
}

/** Checks a mapping (schema, then the rules between its fields); null when valid. */
export function checkTerminalModelMapping(value: unknown, prefix = 'mapping'): TerminalModelProblem | null {
  if (!validateMapping(value)) return schemaProblem(validateMapping.errors![0]!, prefix);
  return mappingRules(value as TerminalModelMapping, prefix);
}

/** Checks a create (or, with `patch`, a PATCH) body; null when valid. */
export function checkTerminalModelBody(value: unknown, patch = false): TerminalModelProblem | null {
  const validate = patch ? validatePatch : validateCreate;
  if (!validate(value)) return schemaProblem(validate.errors![0]!, '');
  const mapping = (value as Partial<TerminalModelInput>).mapping;
  return mapping === undefined ? null : mappingRules(mapping, 'mapping');
}
