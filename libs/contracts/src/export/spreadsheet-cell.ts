/**
 * Characters that make a spreadsheet program (Excel, WPS, LibreOffice) read a cell as a formula or
 * a command: the OWASP CSV-injection list (= + - @, tab, carriage return), and their full-width
 * forms, which Chinese input methods type and some spreadsheet programs take for the ASCII ones.
 */
const FORMULA_LEADS = new Set(['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠']);

/**
 * The text of one cell of an export a spreadsheet program may open (CSV now, xlsx later): text
 * that would start a formula gets a leading single quote, so it shows as the text it is and never
 * runs. Every cell of every such export goes through here, whoever wrote its text (a username typed
 * at a failed sign-in is attacker-chosen). Null and undefined are empty cells; a number stays as
 * it is (a negative number is a number, not a formula).
 */
export function spreadsheetCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  const text = String(value);
  return FORMULA_LEADS.has(text.charAt(0)) ? `'${text}` : text;
}

/** A row of cells through `spreadsheetCell`. */
export function spreadsheetRow(values: ReadonlyArray<string | number | boolean | null | undefined>): string[] {
  return values.map(spreadsheetCell);
}
