/**
 * Kysely's CamelCasePlugin, with a faster mapping of result rows. Its mapRow
 * rebuilds each row through Array#reduce and asks of every value whether it is a
 * plain object; over a 20-incident list page that is twice what SQLite takes to
 * read the rows. Column values here are numbers, strings, null or Buffers (JSON
 * is stored as text), so only a real plain object or an array is mapped deeper,
 * as the plugin would; the keys are mapped with the plugin's own memoized function.
 */
import { CamelCasePlugin, type UnknownRow } from 'kysely';

export class FastCamelCasePlugin extends CamelCasePlugin {
  protected override mapRow(row: UnknownRow): UnknownRow {
    const out: UnknownRow = {};
    for (const key of Object.keys(row)) {
      const value = row[key];
      out[this.camelCase(key)] = value !== null && typeof value === 'object' && !Buffer.isBuffer(value) ? super.mapRow({ v: value }).v : value;
    }
    return out;
  }
}
