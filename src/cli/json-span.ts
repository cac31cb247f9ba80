/**
 * Finds the raw text of one top-level member's value in a JSON object text,
 * without parsing it. Returns null when the text is not shaped as expected.
 */
export function topLevelValueSpan(text: string, key: string): [number, number] | null {
  const n = text.length;
  let i = skipSpace(text, 0);
  if (text.charCodeAt(i) !== 0x7b /* { */) return null;
  i++;
  for (;;) {
    i = skipSpace(text, i);
    if (text.charCodeAt(i) !== 0x22 /* " */) return null;
    const keyEnd = skipString(text, i);
    if (keyEnd < 0) return null;
    const name = text.slice(i + 1, keyEnd - 1);
    i = skipSpace(text, keyEnd);
    if (text.charCodeAt(i) !== 0x3a /* : */) return null;
    const valueStart = skipSpace(text, i + 1);
    const valueEnd = skipValue(text, valueStart);
    if (valueEnd < 0) return null;
    if (name === key) return [valueStart, valueEnd];
    i = skipSpace(text, valueEnd);
    const c = text.charCodeAt(i);
    if (c === 0x2c /* , */) {
      i++;
      continue;
    }
    return null;
  }
  function skipValue(t: string, from: number): number {
    const c = t.charCodeAt(from);
    if (c === 0x22) return skipString(t, from);
    if (c === 0x7b || c === 0x5b) {
      let depth = 0;
      for (let j = from; j < n; j++) {
        const d = t.charCodeAt(j);
        if (d === 0x22) {
          j = skipString(t, j) - 1;
          if (j < 0) return -1;
        } else if (d === 0x7b || d === 0x5b) depth++;
        else if (d === 0x7d || d === 0x5d) {
          if (--depth === 0) return j + 1;
        }
      }
      return -1;
    }
    let j = from;
    while (j < n && !',}] \t\r\n'.includes(t[j]!)) j++;
    return j > from ? j : -1;
  }
}

function skipSpace(t: string, i: number): number {
  while (i < t.length) {
    const c = t.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
    i++;
  }
  return i;
}

/** Index just past the closing quote of the string starting at i, or -1. */
function skipString(t: string, i: number): number {
  for (let j = i + 1; j < t.length; j++) {
    const c = t.charCodeAt(j);
    if (c === 0x5c /* \ */) j++;
    else if (c === 0x22) return j + 1;
  }
  return -1;
}
