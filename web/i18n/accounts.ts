/** Strings of the password pages (issue 17): the e-mailed reset link, the forced change after a one-time password. */
const ja = {
  accounts: {
    sendLink: 'リセットリンクを送信', oneTime: '一時パスワード', linkSent: '{{email}} にパスワード再設定リンクを送信しました（{{until}} まで、一度だけ有効）。',
    reset: {
      title: 'パスワードの再設定', for: '{{email}} の新しいパスワードを設定します。', submit: 'パスワードを設定', checking: 'リンクを確認しています…',
      done: 'パスワードを設定しました。新しいパスワードでログインしてください。', toLogin: 'ログイン画面へ',
    },
    forced: {
      title: '新しいパスワードを設定してください', body: '管理者が発行した一時パスワードでログインしています。続けるには、ご自身のパスワードを設定してください。',
      current: '一時パスワード', logout: 'ログアウト',
    },
  },
};
const en: typeof ja = {
  accounts: {
    sendLink: 'Send reset link', oneTime: 'One-time password', linkSent: 'A password reset link was sent to {{email}} (works once, until {{until}}).',
    reset: {
      title: 'Reset your password', for: 'Choose a new password for {{email}}.', submit: 'Set password', checking: 'Checking the link…',
      done: 'Your password is set. Sign in with it.', toLogin: 'Go to sign-in',
    },
    forced: {
      title: 'Choose a new password', body: 'You signed in with a one-time password from an administrator. Choose your own password to continue.',
      current: 'One-time password', logout: 'Sign out',
    },
  },
};
export const accounts = { ja, en };
