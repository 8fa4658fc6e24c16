/**
 * libs/contracts' telemetry parser, which only the API calls, names Node's `Buffer` in its
 * signature. The console imports the same index for its types and live-event names, so its type
 * check sees that signature; this declares just enough of `Buffer` for it, instead of pulling all
 * of Node's types into browser code.
 */
interface Buffer extends Uint8Array {
  toString(encoding?: string): string;
}
