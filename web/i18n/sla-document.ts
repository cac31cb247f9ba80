/** UI strings of the SLA document page and its template editor. */

export const ja = {
  slaDocument: {
    title: 'SLA 文書',
    open: 'SLA 文書',
    language: '文書の言語',
    pdf: 'PDF をダウンロード',
    print: '印刷用に開く',
    version: 'SLA ポリシー 第 {{version}} 版',
    missing: 'この契約には次の値が未設定のため、文書に「未設定」と表示されます：{{fields}}',
    frameTitle: 'SLA 文書 {{contract}}',
    templates: 'SLA 文書のテンプレート',
    templatesHelp: '文書の本文を Mustache 形式の HTML で記述します。保存すると、同じ目標値のまま新しい版として改訂されます。',
    source: { custom: '独自テンプレート（第 {{version}} 版から）', default: '標準テンプレート' },
    body: 'テンプレート',
    revisedOn: '改訂日',
    note: '改訂メモ',
    save: '新しい版として保存',
    saved: '第 {{version}} 版として保存しました。',
    variables: '使える名前',
    field: {
      contractedUsers: 'システム利用者数', backupWindow: 'バックアップ時間帯', contactEmail: '窓口メール', contactPhone: '窓口電話',
      primaryContactId: '御社窓口担当', engineerIds: '弊社システム担当者', systemIds: '対象システム',
    },
  },
};

export const en: typeof ja = {
  slaDocument: {
    title: 'SLA document',
    open: 'SLA document',
    language: 'Document language',
    pdf: 'Download PDF',
    print: 'Open for printing',
    version: 'SLA policy version {{version}}',
    missing: 'This contract lacks the following values, so the document shows "not set": {{fields}}',
    frameTitle: 'SLA document {{contract}}',
    templates: 'SLA document templates',
    templatesHelp: 'The document body as HTML with Mustache tags. Saving revises the policy: a new version with the same targets.',
    source: { custom: 'Custom template (since version {{version}})', default: 'Built-in template' },
    body: 'Template',
    revisedOn: 'Revised on',
    note: 'Revision note',
    save: 'Save as a new version',
    saved: 'Saved as version {{version}}.',
    variables: 'Names you can use',
    field: {
      contractedUsers: 'number of system users', backupWindow: 'backup window', contactEmail: 'desk e-mail', contactPhone: 'desk telephone',
      primaryContactId: 'designated contact', engineerIds: 'engineers in charge', systemIds: 'systems covered',
    },
  },
};

