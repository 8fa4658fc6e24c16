/**
 * Remote control of trucks (智能管控): the commands a dispatcher or a control policy sends to a
 * truck's terminal, their records, and the MQTT wire format of the downlink and its answer.
 *
 * HTTP (apps/api/src/commands/commands.controller.ts):
 * - GET  /api/v1/trucks/{id}/commands → TerminalCommandList (newest first)
 * - POST /api/v1/trucks/{id}/commands  CommandRequest → TerminalCommandRecord (dispatcher, admin)
 * - POST /api/v1/commands/{id}/release CommandReleaseRequest → TerminalCommandRecord: the release
 *   command of its family (unlock, speed_release, lift_release), sent like any other
 * - GET/PUT /api/v1/control-policies → ControlPolicySettings (admin)
 *
 * MQTT: the API publishes a CommandDownlink (QoS 1) on `muckwatch/v1/terminals/{id}/commands`;
 * the terminal answers with a CommandResponse on `muckwatch/v1/terminals/{id}/command-responses`.
 * A terminal may subscribe to its own commands topic only and publish answers on its own
 * response topic only (apps/api/src/broker/embedded-broker.ts, mosquitto-dynsec.ts).
 */
import { Ajv2020, type JSONSchemaType, type ValidateFunction } from 'ajv/dist/2020.js';
import { TELEMETRY_TOPIC_PREFIX } from '../telemetry/telemetry.js';

export const COMMAND_KINDS = ['lock', 'unlock', 'speed_cap', 'speed_release', 'lift_inhibit', 'lift_release', 'display_text'] as const;
export type CommandKind = (typeof COMMAND_KINDS)[number];

/** Commands that put a restriction in force, and the one that lifts each. */
export const RESTRICTING_KINDS = ['lock', 'speed_cap', 'lift_inhibit'] as const;
export type RestrictingKind = (typeof RESTRICTING_KINDS)[number];
export const RELEASE_OF: Readonly<Record<RestrictingKind, 'unlock' | 'speed_release' | 'lift_release'>> = {
  lock: 'unlock',
  speed_cap: 'speed_release',
  lift_inhibit: 'lift_release',
};

/** Families: a newer command of a family supersedes a pending older one of the same family. */
export type CommandFamily = 'lock' | 'speed' | 'lift' | 'display';
export const COMMAND_FAMILY: Readonly<Record<CommandKind, CommandFamily>> = {
  lock: 'lock',
  unlock: 'lock',
  speed_cap: 'speed',
  speed_release: 'speed',
  lift_inhibit: 'lift',
  lift_release: 'lift',
  display_text: 'display',
};

export function isReleaseKind(kind: CommandKind): kind is 'unlock' | 'speed_release' | 'lift_release' {
  return kind === 'unlock' || kind === 'speed_release' || kind === 'lift_release';
}

export const COMMAND_LIMITS = {
  /** A dispatcher's reason (required for manual commands). */
  reasonLength: 500,
  /** Text on the driver's display (JT/T 808 0x8300 carries up to 1024 bytes of GBK). */
  displayTextLength: 200,
  minSpeedCapKmh: 5,
  maxSpeedCapKmh: 120,
  /** A manual command's lifetime, when it sets one; otherwise the server's default (COMMAND_EXPIRY_SECONDS). */
  maxTtlMinutes: 7 * 24 * 60,
  /** An answer's detail. */
  detailLength: 500,
  /** Records per list. */
  listLimit: 200,
} as const;

/** The parameters of each kind: only speed_cap and display_text carry any. */
export interface CommandParams {
  /** speed_cap: the cap, km/h. */
  speedKmh?: number;
  /** display_text: what the driver's display shows. */
  text?: string;
}

export const COMMAND_STATES = ['pending', 'sent', 'acknowledged', 'refused', 'unsupported', 'failed', 'timed_out', 'expired', 'superseded'] as const;
/**
 * pending: waiting to be sent (terminal offline, or between attempts); sent: an attempt awaits
 * the answer; acknowledged / refused / unsupported / failed: the terminal's answer; timed_out: no
 * answer after every attempt; expired: never delivered before `expiresAt`; superseded: a newer
 * command of the family came before this one was delivered.
 */
export type CommandState = (typeof COMMAND_STATES)[number];

export const CONTROL_POLICIES = ['lift_outside_disposal', 'speed_cap_cover_open', 'lock_unlicensed'] as const;
/**
 * lift_outside_disposal: lift inhibited while the truck is outside the disposal sites of its valid
 * approvals; speed_cap_cover_open: speed capped while the cover is open or partly open;
 * lock_unlicensed: locked while the truck has no valid transport permit or no valid approval.
 */
export type ControlPolicy = (typeof CONTROL_POLICIES)[number];

export type CommandOrigin = 'manual' | 'policy';

/** POST /api/v1/trucks/{id}/commands */
export interface CommandRequest {
  kind: CommandKind;
  params?: CommandParams;
  reason: string;
  /** Lifetime in minutes; default: the server's (24 h). */
  ttlMinutes?: number;
}

/** POST /api/v1/commands/{id}/release */
export interface CommandReleaseRequest {
  reason: string;
}

export interface TerminalCommandRecord {
  id: string;
  terminalId: string;
  truckId: string | null;
  plate: string | null;
  kind: CommandKind;
  params: CommandParams;
  reason: string;
  origin: CommandOrigin;
  policy: ControlPolicy | null;
  /** The dispatcher's username, or null for a policy. */
  issuedBy: string | null;
  state: CommandState;
  attempts: number;
  /** ISO 8601 UTC. */
  createdAt: string;
  expiresAt: string | null;
  lastSentAt: string | null;
  acknowledgedAt: string | null;
  /** When the terminal's answer (or the time-out) settled it. */
  settledAt: string | null;
  answerDetail: string | null;
  /** A restriction lifted by a release command: when, by whom (username or policy), and which command. */
  releasedAt: string | null;
  releasedBy: string | null;
  releasedByCommand: string | null;
  /** Which door carried it last. */
  door: 'mqtt' | 'jt808' | null;
}

export interface TerminalCommandList {
  truckId: string;
  terminalId: string | null;
  items: TerminalCommandRecord[];
}

export interface ControlPolicySetting {
  policy: ControlPolicy;
  enabled: boolean;
  updatedAt: string | null;
  updatedBy: string | null;
}

export interface ControlPolicySettings {
  policies: ControlPolicySetting[];
  /** The cap speed_cap_cover_open sends, km/h. */
  coverOpenSpeedKmh: number;
}

/** PUT /api/v1/control-policies: any subset. */
export interface ControlPolicySettingsUpdate {
  enabled?: Partial<Record<ControlPolicy, boolean>>;
  coverOpenSpeedKmh?: number;
}

// ---------- MQTT wire format ----------

export function commandsTopic(terminalId: string): string {
  return `${TELEMETRY_TOPIC_PREFIX}/${terminalId}/commands`;
}

export function commandResponsesTopic(terminalId: string): string {
  return `${TELEMETRY_TOPIC_PREFIX}/${terminalId}/command-responses`;
}

/** Every terminal's commands / answers (the API's subscription and ACLs). */
export const COMMANDS_TOPIC_FILTER = `${TELEMETRY_TOPIC_PREFIX}/+/commands`;
export const COMMAND_RESPONSES_TOPIC_FILTER = `${TELEMETRY_TOPIC_PREFIX}/+/command-responses`;

const RESPONSE_TOPIC = /^muckwatch\/v1\/terminals\/([^/+#]+)\/command-responses$/;

/** The terminal id of a command-responses topic, or null. */
export function parseCommandResponsesTopic(topic: string): string | null {
  return RESPONSE_TOPIC.exec(topic)?.[1] ?? null;
}

/** What the API publishes on a terminal's commands topic. */
export interface CommandDownlink {
  commandId: string;
  kind: CommandKind;
  params: CommandParams;
  /** ISO 8601 UTC. */
  issuedAt: string;
  expiresAt: string | null;
  /** 1 on the first attempt. */
  attempt: number;
}

export const COMMAND_OUTCOMES = ['acknowledged', 'refused', 'unsupported', 'failed'] as const;
export type CommandOutcome = (typeof COMMAND_OUTCOMES)[number];

/** What a terminal publishes on its command-responses topic. */
export interface CommandResponse {
  commandId: string;
  outcome: CommandOutcome;
  detail?: string;
}

// ---------- JSON Schemas: validation at the edges, OpenAPI bodies, the console's types ----------

const uuid = { type: 'string', pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' } as const;

export const COMMAND_PARAMS_SCHEMA: JSONSchemaType<CommandParams> = {
  type: 'object',
  additionalProperties: false,
  properties: {
    speedKmh: { type: 'integer', nullable: true, minimum: COMMAND_LIMITS.minSpeedCapKmh, maximum: COMMAND_LIMITS.maxSpeedCapKmh, description: 'speed_cap: km/h' },
    text: { type: 'string', nullable: true, minLength: 1, maxLength: COMMAND_LIMITS.displayTextLength, pattern: '\\S', description: 'display_text: the text' },
  },
};

const reason = { type: 'string', minLength: 1, maxLength: COMMAND_LIMITS.reasonLength, pattern: '\\S' } as const;

export const COMMAND_REQUEST_SCHEMA: JSONSchemaType<CommandRequest> = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'reason'],
  properties: {
    kind: { type: 'string', enum: COMMAND_KINDS },
    params: { ...COMMAND_PARAMS_SCHEMA, nullable: true },
    reason,
    ttlMinutes: { type: 'integer', nullable: true, minimum: 1, maximum: COMMAND_LIMITS.maxTtlMinutes },
  },
  allOf: [
    { if: { type: 'object', properties: { kind: { const: 'speed_cap' } } }, then: { type: 'object', required: ['params'], properties: { params: { type: 'object', required: ['speedKmh'], properties: { speedKmh: { type: 'integer' } } } } } },
    { if: { type: 'object', properties: { kind: { const: 'display_text' } } }, then: { type: 'object', required: ['params'], properties: { params: { type: 'object', required: ['text'], properties: { text: { type: 'string' } } } } } },
  ],
} as unknown as JSONSchemaType<CommandRequest>;

export const COMMAND_RELEASE_REQUEST_SCHEMA: JSONSchemaType<CommandReleaseRequest> = {
  type: 'object',
  additionalProperties: false,
  required: ['reason'],
  properties: { reason },
};

export const CONTROL_POLICY_SETTINGS_UPDATE_SCHEMA: JSONSchemaType<ControlPolicySettingsUpdate> = {
  type: 'object',
  additionalProperties: false,
  properties: {
    enabled: {
      type: 'object',
      nullable: true,
      additionalProperties: false,
      required: [],
      properties: Object.fromEntries(CONTROL_POLICIES.map((p) => [p, { type: 'boolean', nullable: true }])),
    },
    coverOpenSpeedKmh: { type: 'integer', nullable: true, minimum: COMMAND_LIMITS.minSpeedCapKmh, maximum: COMMAND_LIMITS.maxSpeedCapKmh },
  },
} as unknown as JSONSchemaType<ControlPolicySettingsUpdate>;

export const COMMAND_DOWNLINK_SCHEMA: JSONSchemaType<CommandDownlink> = {
  type: 'object',
  required: ['commandId', 'kind', 'params', 'issuedAt', 'expiresAt', 'attempt'],
  properties: {
    commandId: uuid,
    kind: { type: 'string', enum: COMMAND_KINDS },
    params: COMMAND_PARAMS_SCHEMA,
    issuedAt: { type: 'string', maxLength: 40 },
    expiresAt: { type: 'string', maxLength: 40, nullable: true },
    attempt: { type: 'integer', minimum: 1, maximum: 100 },
  },
} as unknown as JSONSchemaType<CommandDownlink>;

export const COMMAND_RESPONSE_SCHEMA: JSONSchemaType<CommandResponse> = {
  type: 'object',
  required: ['commandId', 'outcome'],
  properties: {
    commandId: uuid,
    outcome: { type: 'string', enum: COMMAND_OUTCOMES },
    detail: { type: 'string', nullable: true, maxLength: COMMAND_LIMITS.detailLength },
  },
};

/** Largest answer a terminal may send (bytes): the API drops anything larger unread. */
export const COMMAND_RESPONSE_MAX_BYTES = 2048;

/**
 * Compiled on first use, not at import: the console imports this module for its types and
 * bounds, and its Content-Security-Policy (no 'unsafe-eval') would refuse Ajv's code generation.
 */
let validators: { downlink: ValidateFunction<CommandDownlink>; response: ValidateFunction<CommandResponse> } | null = null;
function compiled(): NonNullable<typeof validators> {
  if (!validators) {
    const ajv = new Ajv2020({ allErrors: false, strict: true, allowUnionTypes: true });
    validators = { downlink: ajv.compile(COMMAND_DOWNLINK_SCHEMA), response: ajv.compile(COMMAND_RESPONSE_SCHEMA) };
  }
  return validators;
}

function text(payload: Uint8Array | string): string {
  return typeof payload === 'string' ? payload : new TextDecoder().decode(payload);
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

/** A terminal's answer, or why it is not one. */
export function parseCommandResponse(payload: Uint8Array | string): { ok: true; response: CommandResponse } | { ok: false; error: string } {
  const size = typeof payload === 'string' ? new TextEncoder().encode(payload).length : payload.length;
  if (size > COMMAND_RESPONSE_MAX_BYTES) return { ok: false, error: `answer of ${size} bytes is over ${COMMAND_RESPONSE_MAX_BYTES}` };
  const value = parseJson(text(payload));
  const validResponse = compiled().response;
  if (validResponse(value)) return { ok: true, response: value };
  const first = validResponse.errors?.[0];
  return { ok: false, error: value === undefined ? 'not JSON' : `${first?.instancePath || 'answer'} ${first?.message ?? 'is invalid'}` };
}

/** A command as a terminal reads it (the fleet simulator, test terminals), or null. */
export function parseCommandDownlink(payload: Uint8Array | string): CommandDownlink | null {
  const value = parseJson(text(payload));
  return compiled().downlink(value) ? value : null;
}
