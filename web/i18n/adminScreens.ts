/** Strings of the admin screens (issue 17): users and tokens, profile, mail triage, audit log, contract edit, monitoring. */
const ja = {
  adm: {
    nav: { users: 'ユーザー', profile: 'プロフィール', triage: 'メール振り分け', audit: '監査ログ', monitoring: '監視' },
    copy: 'コピー', copied: 'コピーしました', older: 'さらに古いもの', newer: '新しいものへ', first: '最新へ', fixErrors: '入力内容に誤りがあります。各項目のメッセージを確認してください。',
    users: {
      title: 'ユーザーと API トークン', role: 'ロール', state: '状態', disabled: '無効', enabled: '有効', disable: '無効にする', enable: '有効にする', disableConfirm: 'ログイン中のセッションを終了し、API トークンをすべて失効させます。', disableYes: '無効にする(確定)',
      roles: { admin: '管理者', agent: '担当者', contact: '顧客窓口' },
      resetPassword: 'パスワード再発行', otpTitle: '{{name}} さんの一時パスワード', otpOnce: 'このパスワードは今回だけ表示されます。本人に安全な方法で伝えてください。',
      otpEnded: '以前のセッションは終了し、API トークン {{count}} 件を失効させました。', new: 'ユーザーを追加',
      initialPassword: '初期パスワード', initialPasswordHint: '12 文字以上。空欄なら後で再発行できます。', created: '{{email}} を追加しました。',
    },
    tokens: {
      title: 'API トークン', none: 'API トークンはありません。', prefix: '識別子', created: '作成', lastUsed: '最終使用', state: '状態', neverUsed: '未使用',
      revoked: '失効', expired: '期限切れ', active: '有効', revoke: '失効させる', name: 'トークン名', expires: '有効期限', noExpiry: 'なし', create: 'トークンを作成',
      shownOnce: 'トークンは今回だけ表示されます。今すぐコピーしてください。',
    },
    profile: {
      title: 'プロフィール', details: '名前と表示言語', language: '表示言語', password: 'パスワードの変更', current: '現在のパスワード', new: '新しいパスワード',
      repeat: '新しいパスワード(確認)', policy: '12 文字以上。よく使われるパスワードは使えません。', mismatch: '確認用のパスワードが一致しません。',
      change: 'パスワードを変更', changed: 'パスワードを変更しました。他のセッションと API トークンは無効になりました。',
    },
    triage: {
      title: 'メール振り分け', queue: '振り分け待ち', unparseable: '解析できないメール', empty: 'このキューにメールはありません。', noSubject: '(件名なし)',
      reason: '理由', authFail: '送信元の認証に失敗', source: 'メールソース', contract: '契約', file: 'この契約で起票', pickContract: '契約を選んでください。',
      filed: '起票しました:', health: '受信の状態', healthy: '正常', alert: '警告', alertTitle: '受信に問題があります',
      alertBody: 'メールボックスのエラーが続いているか、メール処理ジョブが失敗しています(失敗ジョブ {{failed}} 件)。',
      mailbox: 'メールボックス', lastOk: '最終成功', errors: '連続エラー', lastError: '最後のエラー',
      status: { received: '受信', incident: '起票', reply: '返信', duplicate: '重複', ignored: '無視', triage: '振り分け待ち', unparseable: '解析不能' },
    },
    audit: {
      title: '監査ログ', entity: '対象', entityId: '対象 ID', actorId: '操作者 ID', apply: '絞り込む', at: '日時', actor: '操作者', action: '操作',
      details: '詳細', field: '項目', before: '変更前', after: '変更後', empty: '該当する記録はありません。',
    },
    contract: {
      title: '契約の編集: {{name}}', basics: '契約の基本', people: '連絡先と担当', scope: '対応範囲とメモ', policyVersion: 'SLA ポリシーの版',
      noticeDays: '保守の事前通知(営業日)', noticeDaysHint: '保守作業を何営業日前までに通知するか', backupStart: 'バックアップ時間帯(開始)',
      backupEnd: 'バックアップ時間帯(終了)', contactEmail: '問い合わせ用メール', contactPhone: '問い合わせ用電話', engineers: '担当エンジニア',
    },
    series: {
      title: '定期保守', none: '定期保守はありません。', time: '時間帯', rule: '繰り返し', period: '期間', end: '終了する', endTitle: '定期保守「{{title}}」を終了',
      daily: '{{count}} 日ごと', weekly: '毎週 {{days}}', times: '{{count}} 回', statuses: { active: '有効', cancelled: '終了' },
      new: '定期保守を追加(追加と同時に通知します)', backupTitle: '定期バックアップ', seriesTitle: '定期保守の名称', startTime: '毎回の開始時刻', endTime: '毎回の終了時刻', defaultBackup: '空欄なら契約のバックアップ時間帯',
      kindDaily: '毎日', kindWeekly: '毎週', every: '間隔(日)', weekdays: '曜日', firstDate: '初回', until: '最終日', create: '追加して通知',
      created: '追加しました(今後 90 日分 {{count}} 回を登録)。',
    },
    reschedule: {
      button: '日程変更', title: '日程変更: {{title}}', emergency: '緊急保守の理由(通知期限を過ぎる場合)', emergencyHint: '通知済みの保守は変更後の日程で再通知されます。', submit: '変更する',
    },
    policy: {
      jsonHint: '上のフォームと同じ内容です。JSON で直接編集・貼り付けもできます。', unreadable: 'JSON として読めないか、ポリシー定義の形になっていないため、フォームでは表示できません。JSON で直してください。', target: '目標', clock: '時計',
      amount: '時間', minutes: '分', days: '営業日目', notifyWhileClosed: '営業時間外も警告を送る',
    },
    cal: {
      month: '月表示(日ごとの営業時間)', monthPick: '表示期間', noMonth: 'このカレンダーでは表示できません(内容に誤りがあるか、祝日データの範囲外です)。',
      closed: '休業', overridden: '個別設定あり', hoursOn: '{{date}} の営業時間', hoursHint: '例: 09:00-12:00, 13:00-17:00(空欄 = 休業)',
      setOverride: 'この日だけ変更', removeOverride: '個別設定を削除', hoursFormat: '営業時間は「09:00-12:00」の形で、複数はカンマで区切ってください。',
      overridesUnreadable: '個別設定 (JSON) が読めないため変更できません。先に JSON を直してください。',
    },
    edit: { client: '顧客を編集: {{name}}', contact: '窓口担当者を編集: {{name}}', system: 'システムを編集: {{name}}' },
    mon: {
      title: '監視', pick: '契約を選ぶと監視項目の追加・結果の詳細・月間稼働率が表示されます。', allMonitors: 'すべての契約の監視項目', noneAtAll: '監視項目はまだありません。契約を選んで追加してください。', system: 'システム', target: '監視先', state: '状態', lastCheck: '最終チェック',
      latency: '応答時間', details: '詳細', disabled: '監視停止中', none: 'この契約に監視項目はありません。', enabled: '監視する',
      states: { up: '正常', down: '停止', unknown: '不明' }, delete: '削除', deleteConfirm: '削除しますか?(履歴は稼働率に残ります)', deleteYes: '削除する',
      settings: '間隔 {{interval}} 秒・タイムアウト {{timeout}} 秒・再試行 {{retries}} 回・{{confirm}} 回連続失敗で停止・{{recover}} 回連続成功で復旧',
      keyword: 'キーワード', keywordMode: 'キーワード条件', modes: { present: '含む', absent: '含まない' }, lastError: '最後のエラー',
      results: '最近の結果', noResults: 'まだ結果がありません。', chart: '応答時間(平均)の推移', from: '開始', to: '終了', checks: 'チェック回数', avg: '平均', max: '最大',
      new: '監視項目を追加', kind: '種類', host: 'ホスト', port: 'ポート', interval: '間隔(秒)', timeout: 'タイムアウト(秒)', retries: '再試行回数',
      confirmAfter: '停止と判定する連続失敗回数', recoverAfter: '復旧と判定する連続成功回数', expectedStatus: '期待するステータス', add: '追加',
      outages: '障害', noOutages: '障害の記録はありません。', monitor: '監視項目', duration: '時間', incident: 'インシデント', open: '開く', ongoing: '継続中', muted: '保守中',
      endings: { recovered: '復旧', monitor_disabled: '監視停止', monitor_deleted: '監視削除', manual: '手動で終了' },
      availability: '月間稼働率', month: '月', wholeContract: '契約全体', availabilityCol: '稼働率', service: 'サービス時間', planned: '計画保守', downtime: '停止時間', unknown: '不明', intervals: '内訳',
    },
  },
};

const en: typeof ja = {
  adm: {
    nav: { users: 'Users', profile: 'Profile', triage: 'Mail triage', audit: 'Audit log', monitoring: 'Monitoring' },
    copy: 'Copy', copied: 'Copied', older: 'Older', newer: 'Newer', first: 'Newest', fixErrors: 'Some fields are not valid; see the message at each field.',
    users: {
      title: 'Users and API tokens', role: 'Role', state: 'State', disabled: 'Disabled', enabled: 'Active', disable: 'Disable', enable: 'Enable', disableConfirm: 'Ends their sessions and revokes all their API tokens.', disableYes: 'Disable now',
      roles: { admin: 'Administrator', agent: 'Agent', contact: 'Client contact' },
      resetPassword: 'Reset password', otpTitle: 'One-time password for {{name}}', otpOnce: 'This password is shown only now. Pass it on to the user in a safe way.',
      otpEnded: 'Their sessions ended and {{count}} API token(s) were revoked.', new: 'Add a user',
      initialPassword: 'Initial password', initialPasswordHint: 'At least 12 characters. Leave empty to reset it later.', created: '{{email}} was added.',
    },
    tokens: {
      title: 'API tokens', none: 'No API tokens.', prefix: 'Prefix', created: 'Created', lastUsed: 'Last used', state: 'State', neverUsed: 'Never used',
      revoked: 'Revoked', expired: 'Expired', active: 'Active', revoke: 'Revoke', name: 'Token name', expires: 'Expires', noExpiry: 'never', create: 'Create token',
      shownOnce: 'The token is shown only now. Copy it now.',
    },
    profile: {
      title: 'Profile', details: 'Name and language', language: 'Language', password: 'Change password', current: 'Current password', new: 'New password',
      repeat: 'New password (again)', policy: 'At least 12 characters; common passwords are refused.', mismatch: 'The two new passwords differ.',
      change: 'Change password', changed: 'Password changed. Your other sessions and API tokens no longer work.',
    },
    triage: {
      title: 'Mail triage', queue: 'Triage queue', unparseable: 'Unparseable mail', empty: 'No mail in this queue.', noSubject: '(no subject)',
      reason: 'Reason', authFail: 'Sender authentication failed', source: 'Raw source', contract: 'Contract', file: 'File under this contract', pickContract: 'Pick a contract.',
      filed: 'Filed as incident', health: 'Intake health', healthy: 'Healthy', alert: 'Alert', alertTitle: 'The mail intake has a problem',
      alertBody: 'A mailbox keeps failing, or mail jobs failed for good ({{failed}} failed jobs).',
      mailbox: 'Mailbox', lastOk: 'Last success', errors: 'Errors in a row', lastError: 'Last error',
      status: { received: 'Received', incident: 'Incident', reply: 'Reply', duplicate: 'Duplicate', ignored: 'Ignored', triage: 'Triage', unparseable: 'Unparseable' },
    },
    audit: {
      title: 'Audit log', entity: 'Entity', entityId: 'Record id', actorId: 'Actor id', apply: 'Filter', at: 'When', actor: 'Who', action: 'Action',
      details: 'Details', field: 'Field', before: 'Before', after: 'After', empty: 'No entries match.',
    },
    contract: {
      title: 'Edit contract: {{name}}', basics: 'Contract', people: 'Contacts and people in charge', scope: 'Scope and notes', policyVersion: 'SLA policy version',
      noticeDays: 'Maintenance notice (business days)', noticeDaysHint: 'How many business days ahead maintenance is announced', backupStart: 'Backup window start',
      backupEnd: 'Backup window end', contactEmail: 'Contact e-mail', contactPhone: 'Contact phone', engineers: 'Engineers in charge',
    },
    series: {
      title: 'Recurring maintenance', none: 'No recurring maintenance.', time: 'Time', rule: 'Repeats', period: 'Period', end: 'End series', endTitle: 'End the series "{{title}}"',
      daily: 'every {{count}} day(s)', weekly: 'weekly on {{days}}', times: '{{count}} times', statuses: { active: 'Active', cancelled: 'Ended' },
      new: 'Add a recurring window (announced when added)', backupTitle: 'Scheduled backup', seriesTitle: 'Series title', startTime: 'Each time from', endTime: 'Each time until', defaultBackup: 'Empty: the contract\'s backup window',
      kindDaily: 'Daily', kindWeekly: 'Weekly', every: 'Every (days)', weekdays: 'Weekdays', firstDate: 'First date', until: 'Last date', create: 'Add and announce',
      created: 'Added ({{count}} occurrences stored for the next 90 days).',
    },
    reschedule: {
      button: 'Reschedule', title: 'Reschedule: {{title}}', emergency: 'Emergency reason (when past the notice deadline)', emergencyHint: 'An announced window is announced again with the new times.', submit: 'Reschedule',
    },
    policy: {
      jsonHint: 'The same document as the form above; edit or paste it as JSON.', unreadable: 'This is not readable JSON or not shaped like a policy document, so the form cannot show it. Fix it in JSON.', target: 'Target', clock: 'Clock',
      amount: 'Amount', minutes: 'min', days: 'th business day', notifyWhileClosed: 'Warn also while the calendar is closed',
    },
    cal: {
      month: 'Month view (working time per day)', monthPick: 'Month shown', noMonth: 'This calendar cannot be shown (it has problems, or the month is outside the holiday data).',
      closed: 'closed', overridden: 'has an override', hoursOn: 'Hours on {{date}}', hoursHint: 'e.g. 09:00-12:00, 13:00-17:00 (empty = closed)',
      setOverride: 'Override this day', removeOverride: 'Remove override', hoursFormat: 'Write hours as "09:00-12:00"; several separated by commas.',
      overridesUnreadable: 'The overrides (JSON) cannot be read; fix the JSON first.',
    },
    edit: { client: 'Edit client: {{name}}', contact: 'Edit contact: {{name}}', system: 'Edit system: {{name}}' },
    mon: {
      title: 'Monitoring', pick: 'Pick a contract to add monitors, see their results in detail and its availability per month.', allMonitors: 'Monitors of every contract', noneAtAll: 'No monitors yet. Pick a contract to add one.', system: 'System', target: 'Target', state: 'State', lastCheck: 'Last check',
      latency: 'Latency', details: 'Details', disabled: 'disabled', none: 'This contract has no monitors.', enabled: 'Enabled',
      states: { up: 'Up', down: 'Down', unknown: 'Unknown' }, delete: 'Delete', deleteConfirm: 'Delete it? (its history stays in availability)', deleteYes: 'Delete',
      settings: 'Every {{interval}} s · timeout {{timeout}} s · {{retries}} retries · down after {{confirm}} failures · up after {{recover}} successes',
      keyword: 'Keyword', keywordMode: 'Keyword must be', modes: { present: 'present', absent: 'absent' }, lastError: 'Last error',
      results: 'Recent results', noResults: 'No results yet.', chart: 'Average latency over time', from: 'From', to: 'To', checks: 'Checks', avg: 'Average', max: 'Worst',
      new: 'Add a monitor', kind: 'Kind', host: 'Host', port: 'Port', interval: 'Interval (s)', timeout: 'Timeout (s)', retries: 'Retries',
      confirmAfter: 'Failures in a row before down', recoverAfter: 'Successes in a row before up', expectedStatus: 'Expected status', add: 'Add',
      outages: 'Outages', noOutages: 'No outages recorded.', monitor: 'Monitor', duration: 'Duration', incident: 'Incident', open: 'Open', ongoing: 'ongoing', muted: 'maintenance',
      endings: { recovered: 'recovered', monitor_disabled: 'monitoring stopped', monitor_deleted: 'monitor deleted', manual: 'closed by hand' },
      availability: 'Availability per month', month: 'Month', wholeContract: 'Whole contract', availabilityCol: 'Availability', service: 'Service time', planned: 'Planned maintenance', downtime: 'Downtime', unknown: 'Unknown', intervals: 'Intervals',
    },
  },
};

export const adminScreens = { ja, en };
