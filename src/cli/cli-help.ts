/**
 * The CLI's help and commander's own messages in the reader's language. The English is
 * where each command is defined (commander's descriptions, its built-in titles and
 * errors); the Japanese is in help.ja.json, keyed by command path ("user add") and option
 * ("--email"), and test/cli/help.test.ts checks that the two cover each other, so a new
 * option without a translation fails the tests rather than showing English to a Japanese
 * reader.
 */
import { Help, type Command, type Option } from 'commander';
import type { Locale } from '../i18n/index.ts';
import ja from './help.ja.json' with { type: 'json' };

type Entry = Record<string, string>;
const COMMANDS: Record<string, Entry | undefined> = ja.commands;
const BUILTIN: Record<string, string | undefined> = ja.builtin;
const ERRORS: Record<string, string> = ja.errors;

/** Every command of the tree with its path ("hoshu" for the root, else "user add"). */
export function commandsOf(program: Command): Array<{ path: string; command: Command }> {
  const out: Array<{ path: string; command: Command }> = [];
  const walk = (c: Command, path: string) => {
    out.push({ path: path || 'hoshu', command: c });
    for (const s of c.commands) walk(s, path ? `${path} ${s.name()}` : s.name());
  };
  walk(program, '');
  return out;
}

/** The key of an option in help.ja.json: its long flag, else its short one. */
export const optionKey = (o: Option): string => o.long ?? o.short ?? o.flags;

/** Terminal columns: East Asian wide characters take two (commander counts one per character). */
function displayWidth(s: string): number {
  // eslint-disable-next-line no-control-regex -- ANSI colour sequences take no columns
  const plain = s.replace(/\x1b\[[0-9;]*m/g, '');
  let w = 0;
  for (const ch of plain) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1;
  return w;
}

/** Characters a Japanese line must not start with (禁則): they stay on the line before. */
const NO_LINE_START = /^[、。，．・：；？！）」』】〕ー々〜,.:;?!)\]}]/u;

/**
 * Wraps to `width` columns the way Japanese text wraps: a line may break between any two
 * wide characters as well as at a space (commander breaks at spaces only, which leaves a
 * Japanese sentence as one overlong line). ASCII words are not split.
 */
export function wrapJapanese(text: string, width: number): string {
  return text.split('\n').map((line) => {
    const units = line.match(/[\x21-\x7e]+|\s+|./gsu) ?? [];
    const lines: string[] = [];
    let cur = '';
    for (const u of units) {
      if (/^\s+$/.test(u)) {
        if (cur) cur += ' ';
        continue;
      }
      if (cur && displayWidth(cur.trimEnd() + u) > width && !NO_LINE_START.test(u)) {
        // An opening bracket does not end a line either: it moves down with what it opens.
        const open = /[（「『【〔(]$/u.exec(cur)?.[0] ?? '';
        lines.push(cur.slice(0, cur.length - open.length).trimEnd());
        cur = open + u;
      } else cur += u;
    }
    lines.push(cur.trimEnd());
    return lines.join('\n');
  }).join('\n');
}

const fill = (template: string, values: readonly string[]): string => template.replace(/\{(\d)\}/g, (_m, i: string) => values[Number(i) - 1] ?? '');

/** commander's messages (commander 14, lib/command.js and lib/suggestSimilar.js) and our argument parsers' reasons. */
const ERROR_PATTERNS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^error: unknown option '(.+?)'/, 'unknownOption'],
  [/^error: unknown command '(.+?)'/, 'unknownCommand'],
  [/^error: missing required argument '(.+?)'/, 'missingArgument'],
  [/^error: option '(.+?)' argument missing/, 'optionArgumentMissing'],
  [/^error: required option '(.+?)' not specified/, 'missingMandatoryOption'],
  [/^error: too many arguments(?: for '.+?')?\. Expected (\d+) arguments? but got (\d+)\./, 'tooManyArguments'],
  [/^error: option '(.+?)' argument '(.*?)' is invalid\./, 'invalidOptionArgument'],
  [/^error: command-argument value '(.*?)' is invalid for argument '(.+?)'\./, 'invalidArgument'],
  [/^error: (.+?) cannot be used with (.+?)$/m, 'conflictingOption'],
  [/\(Did you mean one of (.+?)\?\)/, 'didYouMeanOneOf'],
  [/\(Did you mean (.+?)\?\)/, 'didYouMean'],
  [/must be a non-negative number/, 'nonNegativeNumber'],
  [/must be an integer ≥ 1/, 'positiveInteger'],
];

/** One of commander's error lines in Japanese (parts it does not know stay as they are). */
export function japaneseError(message: string): string {
  let out = message;
  for (const [re, key] of ERROR_PATTERNS) out = out.replace(re, (...m: string[]) => fill(ERRORS[key]!, m.slice(1, -2)));
  // commander joins its message and the parser's reason with a space, which Japanese does not put after "。".
  return out.replace(/Allowed choices are (.+?)\./, `${BUILTIN.choices}: $1`).replace(/。 /g, '。');
}

/**
 * Puts the tree's help in `locale`: for Japanese, every description from help.ja.json,
 * commander's titles, its help option and help command, the "(default: …)" notes and its
 * error messages; English is the tree as defined. Call it once the commands are registered.
 */
export function localizeCli(program: Command, locale: Locale): Command {
  if (locale !== 'ja') return program;
  for (const { path, command } of commandsOf(program)) {
    const entry = COMMANDS[path];
    if (entry?._) command.description(entry._);
    for (const o of command.options) {
      const text = entry?.[optionKey(o)];
      if (text) o.description = text;
    }
    for (const a of command.registeredArguments) {
      const text = entry?.[`<${a.name()}>`];
      if (text) a.description = text;
    }
    command.helpOption('-h, --help', BUILTIN.help);
    if (command.commands.length > 0) command.helpCommand('help [command]', BUILTIN.help);
    command.configureHelp({
      styleTitle: (title: string) => BUILTIN[title] ?? title,
      displayWidth,
      boxWrap: (text: string, width: number) => wrapJapanese(text, width),
      optionDescription(this: Help, option: Option) {
        // commander's trailing "(default: …)" / "(choices: …)" note, in Japanese words and brackets.
        return Help.prototype.optionDescription.call(this, option).replace(/ ?\(((?:choices|default): .*)\)$/, (_m, inner: string) =>
          `（${inner.replace(/\bchoices: /, `${BUILTIN.choices}: `).replace(/\bdefault: /, `${BUILTIN.default}: `)}）`);
      },
    });
    command.configureOutput({ outputError: (text, write) => write(japaneseError(text)) });
  }
  return program;
}
