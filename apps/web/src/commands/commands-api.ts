import type {
  CommandReleaseRequest,
  CommandRequest,
  ControlPolicySettings,
  ControlPolicySettingsUpdate,
  TerminalCommandList,
  TerminalCommandRecord,
} from '@muckwatch/contracts';
import { getJson, requestJson } from '../api/http.js';

/** The remote-control API (libs/contracts/src/api/terminal-commands.ts lists every endpoint). */
export const fetchTruckCommands = (truckId: string, signal?: AbortSignal): Promise<TerminalCommandList> =>
  getJson<TerminalCommandList>(`/api/v1/trucks/${encodeURIComponent(truckId)}/commands`, signal);

export const sendCommand = (truckId: string, body: CommandRequest): Promise<TerminalCommandRecord> =>
  requestJson<TerminalCommandRecord>('POST', `/api/v1/trucks/${encodeURIComponent(truckId)}/commands`, { body });

export const releaseCommand = (commandId: string, body: CommandReleaseRequest): Promise<TerminalCommandRecord> =>
  requestJson<TerminalCommandRecord>('POST', `/api/v1/commands/${encodeURIComponent(commandId)}/release`, { body });

export const fetchControlPolicies = (signal?: AbortSignal): Promise<ControlPolicySettings> => getJson<ControlPolicySettings>('/api/v1/control-policies', signal);

export const updateControlPolicies = (body: ControlPolicySettingsUpdate): Promise<ControlPolicySettings> =>
  requestJson<ControlPolicySettings>('PUT', '/api/v1/control-policies', { body });
