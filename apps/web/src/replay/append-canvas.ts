import L from 'leaflet';

/** Leaflet's canvas renderer's internals this renderer reads and extends (leaflet/src/layer/vector/Canvas.js). */
interface CanvasInternals {
  _map: L.Map | null;
  _drawing: boolean;
  _redrawRequest: number | null;
  _extendRedrawBounds(layer: L.Path): void;
}
interface PathInternals {
  _order?: unknown;
  _updatePath(): void;
}

type Canvas = L.Canvas & CanvasInternals & { _appended: L.Path[] | null; _redraw(): void };
const base = L.Canvas.prototype as unknown as {
  _requestRedraw(this: Canvas, layer: L.Path): void;
  _redraw(this: Canvas): void;
  _updatePaths(this: Canvas): void;
};

/**
 * A canvas renderer that draws layers added to it on top of what it has drawn, instead of clearing
 * and drawing again every layer in the region they cover. Leaflet's own canvas redraws, for each
 * frame in which layers were added, every layer whose box meets theirs: a track added a chunk a
 * frame (ReplayTrackLayer) was drawn again whole with each chunk, and the last chunks of a month's
 * overview cost the browser tens of milliseconds each to rasterise. Anything else (a layer removed,
 * restyled or moved; the map panned or zoomed) redraws as Leaflet does.
 */
const AppendCanvas = L.Canvas.extend({
  _addPath(this: Canvas, layer: L.Path): void {
    if (!this._map) return;
    // A full redraw is pending already: the new layer is drawn with it.
    if (this._redrawRequest && !this._appended) {
      base._requestRedraw.call(this, layer);
      return;
    }
    (this._appended ??= []).push(layer);
    this._redrawRequest ??= L.Util.requestAnimFrame(() => this._redraw());
  },

  _requestRedraw(this: Canvas, layer: L.Path): void {
    // Anything but an addition: the layers waiting to be appended are drawn by the full redraw, in their region.
    if (this._appended) {
      for (const added of this._appended) this._extendRedrawBounds(added);
      this._appended = null;
    }
    base._requestRedraw.call(this, layer);
  },

  _updatePaths(this: Canvas): void {
    // The view was reset: every layer is drawn again on a cleared canvas.
    this._appended = null;
    base._updatePaths.call(this);
  },

  _redraw(this: Canvas): void {
    const appended = this._appended;
    if (!appended) {
      base._redraw.call(this);
      return;
    }
    this._redrawRequest = null;
    this._appended = null;
    this._drawing = true;
    for (const layer of appended) {
      // Removed since it was added: its removal asked for a full redraw, which is not this one; skip it.
      if ((layer as unknown as PathInternals)._order) (layer as unknown as PathInternals)._updatePath();
    }
    this._drawing = false;
  },
});

/** A canvas renderer that appends what is added to it (see AppendCanvas). */
export function appendCanvas(options?: L.RendererOptions): L.Canvas {
  return new (AppendCanvas as unknown as new (options?: L.RendererOptions) => L.Canvas)(options);
}
