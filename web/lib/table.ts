/**
 * Styles for table headers and cells that must not break inside a word.
 *
 * A browser may break Japanese between any two characters, so a narrow column's header read
 * 期限超/過 or 番/号, and its cells 株式会社さ/くら物流, 窓口 花/子, 2027年1月3/日 or 264,000/円.
 * `word-break: keep-all` keeps each Japanese word whole (a name, a date, an amount; a sentence
 * breaks at its spaces and its 、) and still lets English wrap at its spaces ("Waiting for /
 * client"). It is set per table (`<Table styles={WHOLE_WORD_TABLE}>`, or on its headers alone), never
 * on every table: kept whole, a table's words need their full width, and a table that cannot
 * give it must sit in a Table.ScrollContainer and scroll sideways on a phone — a global rule
 * overflowed the dashboard's state table and hid its 計 column.
 */
export const WHOLE_WORDS = { wordBreak: 'keep-all' } as const;

/** A table whose headers and cells both keep their words whole. */
export const WHOLE_WORD_TABLE = { th: WHOLE_WORDS, td: WHOLE_WORDS } as const;

/** On one line: a short header, a number, a status word, a date, a phone number (the one nowrap style of the web app). */
export const ONE_LINE = { whiteSpace: 'nowrap' } as const;
