import { once } from 'node:events';
import { Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { stringify } from 'csv-stringify/sync';
import { createCB } from 'xmlbuilder2';
import {
  formatDateTime,
  spreadsheetRow,
  type ReplayExportFormat,
} from '@muckwatch/contracts';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../cases/cases.service.js';
import { ReplayRepository, type ReplayFixRow, type TerminalSpan } from './replay.repository.js';
import { ReplayService, describe, replayPeriod, type ReplayQuery } from './replay.service.js';

const CONTENT_TYPES: Record<ReplayExportFormat, string> = {
  gpx: 'application/gpx+xml; charset=utf-8',
  kml: 'application/vnd.google-earth.kml+xml; charset=utf-8',
  geojson: 'application/geo+json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
};

const LOAD_ZH: Record<string, string> = { empty: '空车', half: '半载', full: '满载', overload: '超载' };
const COVER_ZH: Record<string, string> = { closed: '密闭', open: '未密闭', partial: '半密闭', fault: '故障' };
const BODY_ZH: Record<string, string> = { down: '落下', raised: '举升', fault: '故障' };
const yesNo = (v: boolean | null): string | null => (v === null ? null : v ? '是' : '否');

/** The CSV's columns: zh-CN headers, Asia/Shanghai times (UTC alongside), every cell neutralised. */
export const REPLAY_CSV_COLUMNS: ReadonlyArray<{ header: string; value: (f: ReplayFixRow) => string | number | null }> = [
  { header: '定位时间', value: (f) => formatDateTime(f.timeMs) },
  { header: '定位时间(UTC)', value: (f) => new Date(f.timeMs).toISOString() },
  { header: '终端号', value: (f) => f.terminalId },
  { header: '纬度', value: (f) => f.lat },
  { header: '经度', value: (f) => f.lon },
  { header: '速度(km/h)', value: (f) => f.speedKmh },
  { header: '方向(°)', value: (f) => f.headingDeg },
  { header: '海拔(m)', value: (f) => f.altitudeM },
  { header: '里程(km)', value: (f) => f.mileageKm },
  { header: '点火', value: (f) => yesNo(f.ignition) },
  { header: '密闭', value: (f) => (f.cover ? (COVER_ZH[f.cover] ?? f.cover) : null) },
  { header: '举升', value: (f) => (f.body ? (BODY_ZH[f.body] ?? f.body) : null) },
  { header: '载重状态', value: (f) => (f.load ? (LOAD_ZH[f.load] ?? f.load) : null) },
  { header: '载重(t)', value: (f) => f.loadT },
  { header: '定位有效', value: (f) => yesNo(f.valid) },
  { header: '质量标记', value: (f) => f.quality.join(' ') || null },
];

const PAGE = 10_000;

/** Writes and waits while the response's buffer is full, so a month of fixes never sits in memory. */
async function drained(res: Response): Promise<void> {
  if (res.writableNeedDrain) await once(res, 'drain');
}

/**
 * GET replay/{truck}/export.{gpx,kml,geojson,csv}: every fix of the period at full resolution,
 * streamed page by page (10,000 fixes a query), audited as `replay.export` once written.
 */
@Injectable()
export class ReplayExportService {
  constructor(
    private readonly replay: ReplayService,
    private readonly repository: ReplayRepository,
    private readonly audit: AuditService,
  ) {}

  async export(name: string, format: ReplayExportFormat, query: ReplayQuery, actor: Actor, res: Response): Promise<void> {
    const { from, to } = replayPeriod(query);
    const truck = await this.replay.truck(name, from, to);
    const label = truck.plate ?? truck.spans[0]?.terminalId ?? name.trim();
    const fileName = `轨迹_${label}_${formatDateTime(from)?.slice(0, 10) ?? ''}至${formatDateTime(to)?.slice(0, 10) ?? ''}`;
    res.setHeader('Content-Type', CONTENT_TYPES[format]);
    res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}.${format}`);
    res.setHeader('Cache-Control', 'private, no-store');
    const title = `${label} ${formatDateTime(from) ?? ''} — ${formatDateTime(to) ?? ''}`;
    const rows = await WRITERS[format](res, this.repository, truck.spans, title);
    // Audited before the response ends: whoever got the whole file finds the row.
    await this.audit.record({
      action: 'replay.export',
      actor: actor.principal,
      origin: actor.origin,
      resourceType: 'truck',
      resourceId: truck.truckId ?? label,
      detail: { truck: describe(truck), from: from.toISOString(), to: to.toISOString(), format, rows, fileName: `${fileName}.${format}` },
    });
    res.end();
  }
}

type Writer = (res: Response, repository: ReplayRepository, spans: readonly TerminalSpan[], title: string) => Promise<number>;

/** Pages of fixes from the repository; `each` writes one, the response drains between pages. */
async function pages(res: Response, repository: ReplayRepository, spans: readonly TerminalSpan[], each: (page: ReplayFixRow[]) => void): Promise<number> {
  let count = 0;
  let page: ReplayFixRow[] = [];
  for await (const fix of repository.allFixes(spans, PAGE)) {
    page.push(fix);
    if (page.length === PAGE) {
      each(page);
      count += page.length;
      page = [];
      await drained(res);
    }
  }
  if (page.length) each(page);
  return count + page.length;
}

const iso = (ms: number): string => new Date(ms).toISOString();

const WRITERS: Record<ReplayExportFormat, Writer> = {
  async csv(res, repository, spans) {
    res.write(`\uFEFF${stringify([REPLAY_CSV_COLUMNS.map((c) => c.header)])}`);
    return pages(res, repository, spans, (page) => {
      res.write(stringify(page.map((f) => spreadsheetRow(REPLAY_CSV_COLUMNS.map((c) => c.value(f))))));
    });
  },

  async geojson(res, repository, spans, title) {
    res.write(`{"type":"FeatureCollection","name":${JSON.stringify(title)},"features":[`);
    let first = true;
    const rows = await pages(res, repository, spans, (page) => {
      let text = '';
      for (const f of page) {
        const feature = {
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [f.lon, f.lat] },
          properties: {
            time: iso(f.timeMs), terminalId: f.terminalId, speedKmh: f.speedKmh, headingDeg: f.headingDeg, altitudeM: f.altitudeM,
            mileageKm: f.mileageKm, ignition: f.ignition, cover: f.cover, body: f.body, load: f.load, loadT: f.loadT, valid: f.valid, quality: f.quality,
          },
        };
        text += (first ? '' : ',') + JSON.stringify(feature);
        first = false;
      }
      res.write(text);
    });
    res.write(']}');
    return rows;
  },

  async gpx(res, repository, spans, title) {
    const xml = createCB({ data: (chunk: string) => res.write(chunk) });
    xml.dec({ version: '1.0', encoding: 'UTF-8' });
    const trkseg = xml
      .ele('gpx', { version: '1.1', creator: 'muckwatch', xmlns: 'http://www.topografix.com/GPX/1/1' })
      .ele('trk').ele('name').txt(title).up()
      .ele('trkseg');
    const rows = await pages(res, repository, spans, (page) => {
      for (const f of page) {
        const pt = trkseg.ele('trkpt', { lat: String(f.lat), lon: String(f.lon) });
        if (f.altitudeM !== null) pt.ele('ele').txt(String(f.altitudeM)).up();
        pt.ele('time').txt(iso(f.timeMs)).up();
        pt.ele('course').txt(String(f.headingDeg)).up();
        pt.ele('speed').txt(String(Math.round((f.speedKmh / 3.6) * 100) / 100)).up();
        pt.ele('desc').txt(describeFix(f)).up();
        pt.up();
      }
    });
    trkseg.up().up().up();
    xml.end();
    return rows;
  },

  async kml(res, repository, spans, title) {
    const xml = createCB({ data: (chunk: string) => res.write(chunk) });
    xml.dec({ version: '1.0', encoding: 'UTF-8' });
    const multi = xml
      .ele('kml', { xmlns: 'http://www.opengis.net/kml/2.2', 'xmlns:gx': 'http://www.google.com/kml/ext/2.2' })
      .ele('Document').ele('name').txt(title).up()
      .ele('Placemark').ele('name').txt(title).up()
      .ele('gx:MultiTrack').ele('altitudeMode').txt('clampToGround').up().ele('gx:interpolate').txt('1').up();
    // One gx:Track per page: its <when>s, then its <gx:coord>s (KML pairs them by position).
    const rows = await pages(res, repository, spans, (page) => {
      const track = multi.ele('gx:Track');
      for (const f of page) track.ele('when').txt(iso(f.timeMs)).up();
      for (const f of page) track.ele('gx:coord').txt(`${f.lon} ${f.lat} ${f.altitudeM ?? 0}`).up();
      track.up();
    });
    multi.up().up().up().up();
    xml.end();
    return rows;
  },
};

function describeFix(f: ReplayFixRow): string {
  return [
    `${Math.round(f.speedKmh)} km/h`,
    f.load ? LOAD_ZH[f.load] : null,
    f.loadT !== null ? `${f.loadT} t` : null,
    f.cover ? COVER_ZH[f.cover] : null,
    f.body === 'raised' ? '举升' : null,
    f.ignition === false ? '熄火' : null,
  ].filter(Boolean).join('，');
}
