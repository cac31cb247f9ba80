import { parseCalendarDocument, type CalendarDocument } from './document.ts';
import { compileCalendar, type CompiledCalendar } from './compile.ts';

/**
 * Compiled calendars by key (a document's JSON, or an id plus version), so a
 * calendar used by many incidents or input lines is indexed once. Bounded: the
 * least recently added entry goes first.
 */
export class CalendarCache {
  private readonly entries = new Map<string, CompiledCalendar>();
  constructor(private readonly capacity = 256) {}

  get(key: string, load: () => CalendarDocument): CompiledCalendar {
    let hit = this.entries.get(key);
    if (!hit) {
      hit = compileCalendar(load());
      if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(key, hit);
    }
    return hit;
  }

  /** Validates and compiles a raw document, keyed by its JSON text. */
  fromJson(raw: unknown): CompiledCalendar {
    const key = JSON.stringify(raw);
    return this.get(key, () => parseCalendarDocument(raw));
  }
}
