import { describe, expect, it } from 'vitest';
import type { DisposalApproval, TimeWindowSchedule } from '@muckwatch/contracts';
import { approvalForm, approvalInput, companyForm, companyInput, constructionSiteForm, constructionSiteInput, endsNextDay, speedZoneForm, speedZoneInput, terminalForm, terminalInput, timeWindowForm, timeWindowInput } from './resource-forms.js';

const square = { type: 'Polygon' as const, coordinates: [[[118.3, 36.8], [118.31, 36.8], [118.31, 36.81], [118.3, 36.8]]] };

describe('a company form', () => {
  it('sends blank optional fields as null and the credit code upper-cased', () => {
    const form = { ...companyForm(), name: ' 临淄顺达运输 ', creditCode: '91370305mA3c1234x' };
    expect(companyInput(form)).toEqual({ name: '临淄顺达运输', creditCode: '91370305MA3C1234X', address: null, contactName: null, contactPhone: null });
  });
});

describe('a terminal form', () => {
  it('sends the terminal id only when creating', () => {
    const form = { ...terminalForm(), terminalId: 'T-1', sim: '' };
    expect(terminalInput(form, true)).toMatchObject({ terminalId: 'T-1', sim: null, protocol: 'mqtt-v1' });
    expect(terminalInput(form, false)).not.toHaveProperty('terminalId');
  });
});

describe('a construction site form', () => {
  it('derives the town from the shape when none is chosen, and sends the drawn polygon', () => {
    const input = constructionSiteInput({ ...constructionSiteForm(), name: '齐都花园二期' }, square);
    expect(input).toEqual({ name: '齐都花园二期', townCode: null, address: null, status: 'active', geometry: square });
  });
  it('leaves the geometry out of a change that did not touch it', () => {
    expect(constructionSiteInput(constructionSiteForm(), null)).not.toHaveProperty('geometry');
  });
});

describe('a speed-limit zone form', () => {
  it('has a corridor width only for a road', () => {
    const form = { ...speedZoneForm(), name: '学校路段', limitKmh: 30, corridorWidthM: 40 };
    expect(speedZoneInput(form, null, 'LineString').corridorWidthM).toBe(40);
    expect(speedZoneInput(form, null, 'Polygon').corridorWidthM).toBeNull();
  });
});

describe('an approval form', () => {
  it('splits the validity range into validFrom and validTo and round-trips the record', () => {
    const record: DisposalApproval = {
      id: 'a1', number: '临渣核〔2026〕12号', constructionSiteId: 's1', constructionSiteName: '工地', townCode: null,
      validFrom: '2026-11-01', validTo: '2027-01-31', valid: true, companyId: 'c1', truckIds: ['t1', 't2'],
      disposalSiteIds: ['d1'], routeIds: ['r1'], timeWindowIds: ['w1'], demo: false,
    };
    expect(approvalInput(approvalForm(record))).toEqual({
      number: '临渣核〔2026〕12号', constructionSiteId: 's1', companyId: 'c1', validFrom: '2026-11-01', validTo: '2027-01-31',
      truckIds: ['t1', 't2'], disposalSiteIds: ['d1'], routeIds: ['r1'], timeWindowIds: ['w1'],
    });
  });
  it('sends empty dates when no range is chosen (the API names the field)', () => {
    expect(approvalInput(approvalForm())).toMatchObject({ validFrom: '', validTo: '' });
  });
});

describe('a time-window form', () => {
  it('keeps a night window crossing midnight and sorts its days', () => {
    const schedule: TimeWindowSchedule = {
      id: 'w', name: '夜间', timeZone: 'Asia/Shanghai', demo: false,
      weekly: [{ days: [5, 1, 3], start: '22:00', end: '06:00', crossesMidnight: true }],
      exceptions: [{ date: '2026-12-01', kind: 'closed', reason: '重污染天气' }],
    };
    const input = timeWindowInput(timeWindowForm(schedule));
    expect(input.weekly).toEqual([{ days: [1, 3, 5], start: '22:00', end: '06:00', crossesMidnight: true }]);
    expect(input.exceptions).toEqual([{ date: '2026-12-01', kind: 'closed', reason: '重污染天气' }]);
  });
  it('sends the windows of an open exception', () => {
    const form = timeWindowForm();
    form.exceptions.push({ date: '2026-12-02', kind: 'open', windows: [{ start: '20:00', end: '02:00', crossesMidnight: true }], reason: '抢工' });
    expect(timeWindowInput(form).exceptions?.[0]?.windows).toEqual([{ start: '20:00', end: '02:00', crossesMidnight: true }]);
  });
  it('knows which windows end the next day', () => {
    expect(endsNextDay('22:00', '06:00')).toBe(true);
    expect(endsNextDay('06:00', '22:00')).toBe(false);
    expect(endsNextDay('06:00', '24:00')).toBe(false);
    expect(endsNextDay('06:00', '06:00')).toBe(true);
  });
});
