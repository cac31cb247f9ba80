/** The exact read cache: served only while its tables are unchanged and "now" is before the answer's end; bounded. */
import { describe, expect, it } from 'vitest';
import { ReadCache } from '../../src/db/read-cache.ts';
import { TableVersions } from '../../src/db/table-versions.ts';

describe('ReadCache', () => {
  const setup = (limits = {}) => {
    const versions = new TableVersions(() => 0);
    const cache = new ReadCache<string>(versions, ['incidents'], { sizeOf: (v) => v.length, ...limits });
    let computed = 0;
    const read = (key: string, now: number, value = key, until = Infinity) =>
      cache.read(key, now, async () => ({ value: `${value}#${++computed}`, until }));
    return { versions, read, computed: () => computed };
  };

  it('serves a value again until its tables change or its end comes', async () => {
    const c = setup();
    expect(await c.read('a', 0, 'a', 100)).toBe('a#1');
    expect(await c.read('a', 99, 'a', 100)).toBe('a#1');
    expect(await c.read('a', 100, 'a', 200)).toBe('a#2'); // its end
    c.versions.bump(['jobs']);
    expect(await c.read('a', 150, 'a', 200)).toBe('a#2'); // another table
    c.versions.bump(['incidents']);
    expect(await c.read('a', 150, 'a', 200)).toBe('a#3');
  });

  it('keeps nothing that is already over', async () => {
    const c = setup();
    await c.read('a', 10, 'a', 10);
    await c.read('a', 10, 'a', 10);
    expect(c.computed()).toBe(2);
  });

  it('drops the oldest entries beyond its count or byte limit', async () => {
    const byCount = setup({ entries: 2 });
    await byCount.read('a', 0);
    await byCount.read('b', 0);
    await byCount.read('c', 0);
    expect(await byCount.read('a', 0)).toBe('a#4');
    expect(await byCount.read('c', 0)).toBe('c#3');

    const byBytes = setup({ bytes: 8 }); // each value is 3 bytes ("a#1")
    await byBytes.read('a', 0);
    await byBytes.read('b', 0);
    await byBytes.read('c', 0);
    expect(await byBytes.read('a', 0)).toBe('a#4');
    expect(await byBytes.read('x', 0, 'too long for the limit')).toBe('too long for the limit#5');
    expect(await byBytes.read('x', 0, 'too long for the limit')).toBe('too long for the limit#6');
  });

  it('without table versions (PostgreSQL) computes every time', async () => {
    const cache = new ReadCache<number>(null, ['incidents']);
    let n = 0;
    expect(await cache.read('a', 0, async () => ({ value: ++n, until: Infinity }))).toBe(1);
    expect(await cache.read('a', 0, async () => ({ value: ++n, until: Infinity }))).toBe(2);
  });
});
