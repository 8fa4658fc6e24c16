import { defineComponent, inject, onBeforeUnmount, onMounted, watch, type PropType } from 'vue';
import L from 'leaflet';
import type { DecodedTrack } from '@muckwatch/contracts';
import { useMap } from '../map/map-context.js';
import type { ColourMode } from './replay-view.js';
import type { ColourRuns, TrackDrawing } from './track-worker.js';
import { appendCanvas } from './append-canvas.js';
import { FRAME_JOBS, FrameJobs } from './frame-jobs.js';

/** A point on the map the user may click to jump there (stop, violation, trip boundary, fence crossing). */
export interface MapMark {
  atMs: number;
  lat: number;
  lon: number;
  colour: string;
  label: string;
  /** Larger, filled: a suspicious stop or a violation. */
  strong?: boolean;
}

/**
 * Fixes drawn per animation frame. Adding a polyline projects and clips each of its fixes; a
 * month's overview (~2·10^4 fixes) or a month's marks (thousands) added at once held the main
 * thread for hundreds of milliseconds. 4,000 fixes or 400 marks a frame still made tasks of
 * 50–85 ms on the two shared cores of the development machine (npm run bench:replay -- --browser);
 * half that leaves room for the frame's own work.
 */
const FIXES_PER_FRAME = 1_500;
const MARKS_PER_FRAME = 200;
/** From this zoom on the full-resolution window is loaded (ReplayPage's onView), and the overview under it fades. */
const DETAIL_ZOOM = 15;
/** Above the overlay pane (400) where the track and the marks are, below markers and tooltips. */
const MARKER_PANE = 'muckwatch-replay-marker';

/**
 * The replayed track on one canvas renderer (thousands of segments without a DOM node each): the
 * overview coloured by speed or load, the full-resolution window on top coloured the same way, the
 * marks, and the moving marker. Emits `seek` with the moment of a clicked mark. The track and the
 * marks are added a chunk per animation frame; a new track, mode or set of marks cancels a draw
 * still in progress.
 */
export default defineComponent({
  name: 'ReplayTrackLayer',
  props: {
    track: { type: Object as PropType<DecodedTrack>, required: true },
    drawing: { type: Object as PropType<TrackDrawing>, required: true },
    detail: { type: Object as PropType<{ track: DecodedTrack; drawing: TrackDrawing } | null>, default: null },
    mode: { type: String as PropType<ColourMode>, required: true },
    marks: { type: Array as PropType<MapMark[]>, required: true },
    position: { type: Array as unknown as PropType<[number, number] | null>, default: null },
    fit: { type: Boolean, default: true },
  },
  emits: {
    seek: (atMs: number) => Number.isFinite(atMs),
    /** The map moved: its zoom and bounds (south, west, north, east), for the full-resolution window. */
    view: (view: { zoom: number; bounds: [number, number, number, number] }) => view.zoom >= 0,
    /** A new track has been fitted to the map (a frame after the layer mounts): the map is the user's from here. */
    fitted: () => true,
  },
  setup(props, { emit }) {
    const map = useMap();
    // Chunks added a frame apart are drawn over what is there (append-canvas.ts), not with all before them again.
    const renderer = appendCanvas({ padding: 0.3 });
    // The marks on a canvas of their own: adding a chunk of them never touches the track under them.
    const markRenderer = appendCanvas({ padding: 0.3 });
    const trackGroup = L.layerGroup().addTo(map);
    const detailGroup = L.layerGroup().addTo(map);
    // One group handles every mark's click and tooltip: a listener and a tooltip per mark cost more than the mark.
    const markGroup = L.featureGroup().addTo(map);
    const markOf = new WeakMap<L.Layer, MapMark>();
    markGroup.bindTooltip((layer) => markOf.get(layer)?.label ?? '', { direction: 'top' });
    markGroup.on('click', (event: L.LeafletEvent) => {
      // A feature group's listener hears its layers' events, the layer clicked as `propagatedFrom`.
      const mark = markOf.get((event as unknown as { propagatedFrom: L.Layer }).propagatedFrom);
      if (mark) emit('seek', mark.atMs);
    });
    // The moving marker on a canvas of its own: moving it redraws only itself, never the track under it.
    // Its pane keeps it above the marks whenever they arrive (canvases stack in the order first drawn).
    const markerPane = map.getPane(MARKER_PANE) ?? map.createPane(MARKER_PANE);
    markerPane.style.zIndex = '450';
    // Little padding: the browser composites this canvas anew each frame the marker moves.
    const markerRenderer = L.canvas({ padding: 0.1, pane: MARKER_PANE });
    const marker = L.circleMarker([0, 0], { renderer: markerRenderer, radius: 8, color: '#ffffff', weight: 3, fillColor: '#303133', fillOpacity: 1, interactive: false, className: 'replay-marker' });

    /**
     * Draws a chunk per step of the page's frame queue (frame-jobs.ts) on `canvas`; starting a draw
     * again cancels the one before. A canvas renderer joins the map in a step of its own: its first
     * sizing (a canvas of the map's size and padding) was a long task together with a chunk.
     */
    const jobs = inject(FRAME_JOBS, null) ?? new FrameJobs();
    const uid = Math.random().toString(36).slice(2);
    const job = (what: 'track' | 'detail' | 'marks'): string => `${uid}-${what}`;
    const inChunks = (what: 'track' | 'detail' | 'marks', canvas: L.Canvas, step: () => boolean): void => {
      // The first chunk too waits for a frame: the page's own update when a track arrives is task enough.
      jobs.schedule(job(what), () => {
        if (!map.hasLayer(canvas)) {
          map.addLayer(canvas);
          return true;
        }
        return step();
      });
    };

    /** Overview under a full-resolution window fades, so the window's line reads on top of it. */
    const overviewOpacity = (): number => (props.detail && props.detail.track.count > 1 && map.getZoom() >= DETAIL_ZOOM ? 0.35 : 0.9);

    /**
     * Adds the runs of one colour as polylines, FIXES_PER_FRAME fixes a frame, one polyline per colour
     * and chunk (a run longer than a chunk is cut, sharing its cut fix).
     */
    function drawRuns(what: 'track' | 'detail', group: L.LayerGroup, track: DecodedTrack, runs: ColourRuns, style: () => L.PolylineOptions): void {
      group.clearLayers();
      let run = 0;
      let from = runs.ends[0] ?? 0;
      inChunks(what, renderer, () => {
        const byColour = new Map<string, L.LatLng[][]>();
        let budget = FIXES_PER_FRAME;
        while (run < runs.colours.length && budget > 0) {
          const last = runs.ends[2 * run + 1]!;
          const to = Math.min(last, from + budget);
          const part: L.LatLng[] = [];
          for (let i = from; i <= to; i += 1) part.push(new L.LatLng(track.lat[i]!, track.lon[i]!));
          const colour = runs.colours[run]!;
          const parts = byColour.get(colour) ?? [];
          parts.push(part);
          byColour.set(colour, parts);
          budget -= to - from + 1;
          if (to === last) {
            run += 1;
            from = runs.ends[2 * run] ?? 0;
          } else from = to;
        }
        for (const [colour, parts] of byColour) L.polyline(parts, { ...style(), renderer, color: colour, interactive: false }).addTo(group);
        return run < runs.colours.length;
      });
    }

    /**
     * Whether the user has moved the map since the track was fitted: until then a map whose size
     * changes (the page's layout settling around it; MapView tells Leaflet) is fitted again.
     */
    let userMoved = false;
    const container = map.getContainer();
    const onUser = (): void => {
      userMoved = true;
    };
    for (const type of ['pointerdown', 'wheel', 'keydown'] as const) container.addEventListener(type, onUser, { passive: true });

    function fitTrack(): void {
      const bounds = props.drawing.bounds;
      if (!props.fit || !bounds || props.track.count === 0) return;
      const [south, west, north, east] = bounds;
      // The size Leaflet knows may be older than the layout (the page has just laid out the player
      // and the timeline around the map): measured again before fitting.
      map.invalidateSize({ animate: false, pan: false });
      map.fitBounds([[south, west], [north, east]], { padding: [24, 24], maxZoom: 16, animate: false });
    }
    const refit = (): void => {
      if (!userMoved) fitTrack();
    };
    map.on('resize', refit);

    /** Draws the overview; a new track (`fit`) is fitted first, while nothing is drawn: a zoom change re-projects every fix already on the map. */
    function drawTrack(fit: boolean): void {
      const { track, drawing } = props;
      trackGroup.clearLayers();
      jobs.cancel(job('track'));
      if (track.count === 0) return;
      if (fit) {
        userMoved = false;
        fitTrack();
        emit('fitted');
      }
      if (track.count === 1) {
        L.circleMarker([track.lat[0]!, track.lon[0]!], { renderer, radius: 4, color: '#409eff' }).addTo(trackGroup);
        return;
      }
      drawRuns('track', trackGroup, track, drawing.runs[props.mode], () => ({ weight: 4, opacity: overviewOpacity() }));
    }

    function drawDetail(): void {
      detailGroup.clearLayers();
      jobs.cancel(job('detail'));
      const detail = props.detail;
      fadeOverview();
      if (!detail || detail.track.count < 2) return;
      drawRuns('detail', detailGroup, detail.track, detail.drawing.runs[props.mode], () => ({ weight: 4, opacity: 1 }));
    }

    function fadeOverview(): void {
      const opacity = overviewOpacity();
      trackGroup.eachLayer((layer) => {
        if (layer instanceof L.Polyline) layer.setStyle({ opacity });
      });
    }

    function drawMarks(): void {
      markGroup.clearLayers();
      jobs.cancel(job('marks'));
      // No marks (yet): their canvas joins the map when they come.
      if (props.marks.length === 0) return;
      // Sifted in the first chunk's frame, not in the page's update that brought the marks.
      let marks: MapMark[] | null = null;
      let next = 0;
      inChunks('marks', markRenderer, () => {
        marks ??= visibleMarks(props.marks);
        const end = Math.min(marks.length, next + MARKS_PER_FRAME);
        for (; next < end; next += 1) {
          const mark = marks[next]!;
          const circle = L.circleMarker([mark.lat, mark.lon], {
            renderer: markRenderer,
            radius: mark.strong ? 7 : 5,
            color: mark.colour,
            weight: 2,
            fillColor: mark.strong ? mark.colour : '#ffffff',
            fillOpacity: 1,
          });
          markOf.set(circle, mark);
          markGroup.addLayer(circle);
        }
        return next < marks.length;
      });
    }

    /**
     * The marks that can be seen: of marks drawn alike on the same spot only the last drawn shows and
     * takes the click (a truck that stops at the same place each trip has hundreds there).
     */
    function visibleMarks(marks: MapMark[]): MapMark[] {
      const last = new Map<string, MapMark>();
      for (const m of marks) {
        const key = `${m.lat},${m.lon},${m.colour},${m.strong ? 1 : 0}`;
        last.delete(key);
        last.set(key, m);
      }
      return [...last.values()];
    }

    function moveMarker(): void {
      if (!props.position) {
        marker.remove();
        return;
      }
      marker.setLatLng(props.position);
      if (!map.hasLayer(marker)) marker.addTo(map);
      marker.bringToFront();
    }

    const onView = (): void => {
      const b = map.getBounds();
      emit('view', { zoom: map.getZoom(), bounds: [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()] });
    };
    map.on('moveend', onView);
    map.on('zoomend', fadeOverview);
    // A frame after the page's update that mounted this layer: the map's final size is in the DOM,
    // and the fit (which projects the district's outline again) is a task apart from that update.
    let mountFrame = 0;
    onMounted(() => {
      mountFrame = requestAnimationFrame(() => {
        drawTrack(true);
        drawDetail();
        drawMarks();
        moveMarker();
      });
    });
    watch(() => [props.track, props.drawing], () => drawTrack(true));
    watch(() => props.mode, () => {
      drawTrack(false);
      drawDetail();
    });
    watch(() => props.detail, drawDetail);
    watch(() => props.marks, drawMarks);
    watch(() => props.position, moveMarker);
    onBeforeUnmount(() => {
      cancelAnimationFrame(mountFrame);
      for (const what of ['track', 'detail', 'marks'] as const) jobs.cancel(job(what));
      map.off('moveend', onView);
      map.off('zoomend', fadeOverview);
      map.off('resize', refit);
      for (const type of ['pointerdown', 'wheel', 'keydown'] as const) container.removeEventListener(type, onUser);
      // The renderers too: each new period mounts this layer anew, and their canvases stayed on the map.
      for (const layer of [trackGroup, detailGroup, markGroup, marker, renderer, markRenderer, markerRenderer]) layer.remove();
    });
    return () => null;
  },
});
