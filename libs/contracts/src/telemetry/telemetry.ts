/** Telemetry contract v1: what a truck's terminal publishes over MQTT. See ../../README.md. */

export const TELEMETRY_TOPIC_PREFIX = 'muckwatch/v1/terminals';
/** Topic filter for every terminal's telemetry. */
export const TELEMETRY_TOPIC_FILTER = `${TELEMETRY_TOPIC_PREFIX}/+/telemetry`;
/** Topic filter for every terminal's retained liveness. */
export const STATUS_TOPIC_FILTER = `${TELEMETRY_TOPIC_PREFIX}/+/status`;
export const MAX_FIXES_PER_MESSAGE = 500;

/**
 * The doors fixes come through. Every door hands its fixes to one pipeline (the same validation,
 * quality flags, group commit, live feed and compliance); the door is recorded with each stored fix
 * and each refused message, and nothing downstream reads it.
 */
export const FIX_SOURCES = ['mqtt', 'jt808'] as const;
export type FixSource = (typeof FIX_SOURCES)[number];

export type CoverState = 'closed' | 'open' | 'partial' | 'fault';
export type BodyState = 'down' | 'raised' | 'fault';
export type LoadState = 'empty' | 'half' | 'full' | 'overload';
export type SensorHealth = 'ok' | 'short' | 'open' | 'offline';
export type TerminalLiveness = 'online' | 'offline';

export interface SensorsHealth {
  cover?: SensorHealth;
  lift?: SensorHealth;
  load?: SensorHealth;
}

export interface TerminalControl {
  locked?: boolean;
  speedLimitKmh?: number;
  liftBlocked?: boolean;
}

/** One fix as a terminal sends it. */
export interface TelemetryFix {
  /** ISO 8601 with offset, or epoch milliseconds. */
  ts: string | number;
  lat: number;
  lon: number;
  speedKmh: number;
  headingDeg: number;
  altitudeM?: number;
  satellites?: number;
  hdop?: number;
  valid?: boolean;
  ignition?: boolean;
  mileageKm?: number;
  seq?: number;
  cover?: CoverState;
  body?: BodyState;
  load?: LoadState;
  loadT?: number;
  sensors?: SensorsHealth;
  control?: TerminalControl;
  /** Unknown fields are kept. */
  [extra: string]: unknown;
}

/** A message on the telemetry topic: one fix or a backlog of up to 500. */
export type TelemetryPayload = TelemetryFix | TelemetryFix[];

export function telemetryTopic(terminalId: string): string {
  return `${TELEMETRY_TOPIC_PREFIX}/${terminalId}/telemetry`;
}

export function statusTopic(terminalId: string): string {
  return `${TELEMETRY_TOPIC_PREFIX}/${terminalId}/status`;
}

const TOPIC_PATTERN = /^muckwatch\/v1\/terminals\/([^/+#]+)\/(telemetry|status)$/;

/** Splits a terminal topic into its terminal id and channel, or null when it is not one. */
export function parseTerminalTopic(
  topic: string,
): { terminalId: string; channel: 'telemetry' | 'status' } | null {
  const match = TOPIC_PATTERN.exec(topic);
  if (!match) return null;
  const [, terminalId = '', channel] = match;
  return { terminalId, channel: channel as 'telemetry' | 'status' };
}

/** Terminal ids: 1–32 letters, digits, '-' or '_' (JT/T 808 phone numbers and vendor ids fit). */
export const TERMINAL_ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;
