/**
 * What a new password must be (NIST SP 800-63B §3.1.1.2): long enough, not blank,
 * not one of the passwords attackers try first. No composition rules (they make
 * passwords harder to remember, not to guess), and the password is used exactly as
 * typed: no trimming, no case folding.
 *
 * The common passwords are the "passwords-common" dictionary of
 * @zxcvbn-ts/language-common (MIT, ~49,000 entries ranked by frequency in leaked
 * password sets), shipped in the npm package: nothing is fetched at run time. It is
 * loaded on first use, so CLI commands that never set a password start fast.
 */
import { AppError } from '../../errors.ts';

export const MIN_PASSWORD_LENGTH = 12;

let common: Promise<Set<string>> | null = null;
function commonPasswords(): Promise<Set<string>> {
  common ??= import('@zxcvbn-ts/language-common').then(({ dictionary }) => new Set(dictionary['passwords-common']));
  return common;
}

/** Throws a coded error (issue path ["password"] unless told) when the password may not be used. */
export async function assertAcceptablePassword(password: string, field: string = 'password'): Promise<void> {
  if (password.trim() === '') {
    throw new AppError('auth.blank_password', 'password is blank', [
      { path: [field], code: 'blank', message: 'must not be only spaces' },
    ]);
  }
  // Code points, not UTF-16 units: 「パスワード」 is 5 characters to the person typing it, and so is an emoji.
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    throw new AppError('auth.weak_password', 'password too short', [
      { path: [field], code: 'too_small', message: `must be at least ${MIN_PASSWORD_LENGTH} characters` },
    ], { min: MIN_PASSWORD_LENGTH });
  }
  // The list is lower-case; "Password1234" is no better than "password1234".
  if ((await commonPasswords()).has(password.toLowerCase())) {
    throw new AppError('auth.common_password', 'password is too common', [
      { path: [field], code: 'common', message: 'is one of the most common passwords' },
    ]);
  }
}
