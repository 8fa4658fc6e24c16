import { DEFAULT_TERMINAL_MODELS, STANDARD_TERMINAL_MODEL } from '@muckwatch/contracts';
import { dwordParam, setParameters, terminalControl, textMessage } from '@muckwatch/jt808';
import { describe, expect, it } from 'vitest';
import { decodeCommand, obeyDownlink, TERMINAL_RESULT } from './jt808-obedience.js';
import { TruckControl } from './truck-control.js';

const hopechart = DEFAULT_TERMINAL_MODELS.find((m) => m.key === 'hopechart')!.mapping;
const yaxon = DEFAULT_TERMINAL_MODELS.find((m) => m.key === 'yaxon')!.mapping;
const standard = STANDARD_TERMINAL_MODEL.mapping;

describe('a simulated JT/T 808 terminal obeys downlinks by its model', () => {
  it('鸿泉: 0x8105 command words 0x64 / 0x65 lock, unlock, inhibit and release the lift', () => {
    const control = new TruckControl();
    expect(obeyDownlink(control, 0x8105, terminalControl(0x64, '1'), hopechart, '2019')).toBe(TERMINAL_RESULT.ok);
    expect(control.locked).toBe(true);
    expect(obeyDownlink(control, 0x8105, terminalControl(0x65, '1'), hopechart, '2019')).toBe(TERMINAL_RESULT.ok);
    expect(control.liftBlocked).toBe(true);
    expect(obeyDownlink(control, 0x8105, terminalControl(0x64, '0'), hopechart, '2019')).toBe(TERMINAL_RESULT.ok);
    expect(obeyDownlink(control, 0x8105, terminalControl(0x65, '0'), hopechart, '2019')).toBe(TERMINAL_RESULT.ok);
    expect(control).toMatchObject({ locked: false, liftBlocked: false });
  });

  it('0x8103 parameter 0x0055 caps the speed; 200 km/h releases it', () => {
    const control = new TruckControl();
    expect(decodeCommand(0x8103, setParameters([{ id: 0x0055, value: dwordParam(30) }]), standard, '2013')).toEqual({ kind: 'speed_cap', params: { speedKmh: 30 } });
    expect(obeyDownlink(control, 0x8103, setParameters([{ id: 0x0055, value: dwordParam(30) }]), standard, '2013')).toBe(TERMINAL_RESULT.ok);
    expect(control.speedLimitKmh).toBe(30);
    expect(obeyDownlink(control, 0x8103, setParameters([{ id: 0x0055, value: dwordParam(200) }]), standard, '2013')).toBe(TERMINAL_RESULT.ok);
    expect(control.speedLimitKmh).toBeNull();
  });

  it('雅迅: the vendor message 0x8F01 locks (01) and unlocks (00)', () => {
    const control = new TruckControl();
    expect(obeyDownlink(control, 0x8f01, Buffer.from([1]), yaxon, '2019')).toBe(TERMINAL_RESULT.ok);
    expect(control.locked).toBe(true);
    expect(obeyDownlink(control, 0x8f01, Buffer.from([0]), yaxon, '2019')).toBe(TERMINAL_RESULT.ok);
    expect(control.locked).toBe(false);
  });

  it('shows 0x8300 text in both editions and acknowledges it', () => {
    const control = new TruckControl();
    expect(obeyDownlink(control, 0x8300, textMessage('请立即返回工地', 0x0c, '2019'), standard, '2019')).toBe(TERMINAL_RESULT.ok);
    expect(control.displayText).toBe('请立即返回工地');
    expect(obeyDownlink(control, 0x8300, textMessage('限速 30', 0x0c, '2013'), standard, '2013')).toBe(TERMINAL_RESULT.ok);
    expect(control.displayText).toBe('限速 30');
    expect(obeyDownlink(control, 0x8300, Buffer.from([0x0c]), standard, '2013')).toBe(TERMINAL_RESULT.malformed);
  });

  it('answers 3 (not supported) for what its model does not know, and changes nothing', () => {
    const control = new TruckControl();
    // The standard model has no lock: 0x8105 0x64 is no command of it.
    expect(obeyDownlink(control, 0x8105, terminalControl(0x64, '1'), standard, '2019')).toBe(TERMINAL_RESULT.notSupported);
    expect(obeyDownlink(control, 0x8f01, Buffer.from([1]), hopechart, '2019')).toBe(TERMINAL_RESULT.notSupported);
    expect(obeyDownlink(control, 0x8103, setParameters([{ id: 0x0001, value: dwordParam(30) }]), standard, '2019')).toBe(TERMINAL_RESULT.notSupported);
    expect(obeyDownlink(control, 0x8103, Buffer.from([3, 0, 0]), standard, '2019')).toBe(TERMINAL_RESULT.notSupported);
    expect(control).toMatchObject({ locked: false, speedLimitKmh: null, liftBlocked: false });
  });

  it('refuses (1) a cap outside the contract’s range', () => {
    const control = new TruckControl();
    expect(obeyDownlink(control, 0x8103, setParameters([{ id: 0x0055, value: dwordParam(2) }]), standard, '2019')).toBe(TERMINAL_RESULT.failed);
    expect(control.speedLimitKmh).toBeNull();
  });
});
