/**
 * The built-in SLA document templates (Mustache, the document's body as HTML), one per
 * language: the vendor's page (shared/seed/maintenance-and-sla.ja.txt) section by section,
 * with the contract's values where the page has ●/▲ and the policy's targets where it
 * lists them. A policy uses these until an admin stores its own (sla_policy_templates).
 * `{{x}}` is HTML-escaped; the templates never use `{{{x}}}`, so no contract value can
 * add markup.
 */
import type { Locale } from '../../i18n/index.ts';

const JA = `<header class="doc-head">
  <p class="for">{{generatedFor}}</p>
  <h1>{{title}}</h1>
  <p class="sub">{{contract.name}} ／ {{policy.name}}（第{{policy.version}}版）</p>
</header>

<p>本書は弊社の標準的なSLAに基づき、{{client.name}}様との保守契約「{{contract.name}}」について締結するサービス品質保証です。</p>

<section id="purpose">
  <h2>1. SLAの目的</h2>
  <p>本SLAは弊社がクライアントに対し提供するサービスの仕様及び品質レベルを明記し、相互の責任を記載するものです。</p>
  <p>これらを明記することで、コストに見合ったサービスの提供を目指し、お互い齟齬や誤解の無いよう、相互の永続的なビジネスの発展に寄与することを目指したものです。</p>
</section>

<section id="scope">
  <h2>2. サービス提供の範囲</h2>
  <p>本SLAに対して弊社が提供するサービスは以下となります。</p>
  <table class="facts">
    <tr><th>対象システム</th><td>{{contract.systems}}</td></tr>
    <tr><th>システム利用者</th><td>{{contract.users}}</td></tr>
    <tr><th>契約期間</th><td>{{contract.period}}</td></tr>
  </table>
  <p>上記システム利用者がスムーズに業務を運営できるよう配慮し、障害発生時には発生する障害の原因を調査し対処方法等を報告し、対応を協議します。</p>
  {{#contract.hasInScopeNotes}}<p>本契約の保守範囲：{{contract.inScopeNotes}}</p>{{/contract.hasInScopeNotes}}
</section>

<section id="out-of-scope">
  <h2>3. サービス提供の範囲外</h2>
  <p>本システムに関連性のないもの。</p>
  <p>各個人がシステムで利用するPCに関する問い合わせや、システム利用や操作方法に関する問い合せなどは、サービスの対象外といたします。</p>
  <p>但し、システムの稼働時に、その原因の切り分けを行うため、PC関連の調査を行い、弊社操作や操作指示などを行う場合はありますが、個別のPCに依存する問題の場合は、本サービスの対象外とします。</p>
  {{#contract.hasOutOfScopeNotes}}<p>本契約で範囲外とするもの：{{contract.outOfScopeNotes}}</p>{{/contract.hasOutOfScopeNotes}}
  {{#contract.hasNotes}}<p>備考：{{contract.notes}}</p>{{/contract.hasNotes}}
</section>

<section id="service-hours">
  <h2>4. サービスの提供期間</h2>
  <p>本サービスの提供は、予定された保守日程を除き、24時間365日利用できるものとします。</p>
  <p>但し、保守に伴うシステム停止期間は以下となります。</p>
  <table class="facts">
    <tr><th>システムバックアップ</th><td>{{contract.backupWindow}}</td></tr>
  </table>
  <p>その他予期せぬメンテナンスによってシステムが停止する場合はその都度ご連絡いたします。</p>
  <p>またその停止期間の実施については、緊急性のあるバグ対応を除き{{maintenance.noticeBusinessDays}}営業日前までに連絡するものとします。</p>
</section>

<section id="overview">
  <h2>5. サービス概要</h2>
  <p>問題の解決に向け以下対応を行います。</p>
  <table class="grid">
    <tr><th>障害復旧</th><td>インシデントについて目標時間内に解決を図ります。</td></tr>
    <tr><th>可用性・信頼性の確保</th><td>ユーザーへの重大な影響が出ないよう配慮し、対象システムの稼働をスムーズに行えるよう努めます。</td></tr>
    <tr><th>問合せ対応</th><td>ユーザーからの問い合わせ窓口を決め、ユーザーの連絡先を明示します。また問題の解決に至るまでのサポートと解決後経緯の説明を行います。</td></tr>
    <tr><th>変更要求</th><td>ユーザー側からのシステムに関する変更要求に対し、可能かどうかの判断をした上でコスト面での提案及び対応を行います。</td></tr>
    <tr><th>リスク</th><td>システムにおけるリスクが発生した場合は、システムコントロールまたは提示を行い、ビジネスへの影響を最小限に抑えるよう、対応または協議します。</td></tr>
  </table>
</section>

<section id="targets">
  <h2>6. サービスの完了に至る目標値</h2>
  <p>ユーザーのシステム稼働をサポートするため、インシデントについて考えられた優先度毎に設定する対応時間内での解決を目指します。優先度は弊社窓口が想定するものとします。</p>
  <table class="grid targets">
    <thead><tr><th>優先度</th><th>解決目標時間</th></tr></thead>
    <tbody>
      {{#targets}}<tr><th>{{priority}}</th><td>{{summary}}</td></tr>
      {{/targets}}
    </tbody>
  </table>
  <p class="note">目標時間の{{policy.atRiskPercent}}%を経過した案件は担当者に警告し、優先して対応します。{{#policy.pauseWhileWaiting}}御社からのご回答をお待ちしている間は、解決目標時間の計測を停止します。{{/policy.pauseWhileWaiting}}</p>
</section>

<section id="inquiries">
  <h2>7. 問合せに関する規定</h2>
  <p>保守に対する窓口は次の方法で行うものとします：{{inquiry.channels}}。</p>
  <p>尚、緊急を伴うものは電話での連絡を主として行う事とし、対応開始については、窓口担当者が問題を認識してからとします。（メールの場合はメールを確認してから）</p>
  <p>また、その対応時間は別に定めのない場合は、弊社営業時間内（{{inquiry.businessHours}}。{{inquiry.holidays}}を除く）を基本的な対応時間とします。</p>
  <p>但し、システムが稼働せず、著しくビジネスに影響を及ぼす場合は、緊急性のある事項として、別途対応を行います。</p>
  <p>繁忙期等は要望等があれば別途サポート時間の延長を考慮します。</p>
  {{#inquiry.hasExtensions}}<table class="grid"><thead><tr><th>延長期間</th><th>対応時間</th></tr></thead><tbody>
    {{#inquiry.extensions}}<tr><td>{{period}}</td><td>{{hours}}</td></tr>{{/inquiry.extensions}}
  </tbody></table>{{/inquiry.hasExtensions}}
  <p>またシステム利用者から御社窓口担当を設定し、基本的やり取りは弊社システム担当者と御社窓口担当者とで行うことにします。これは担当者ごとでの意見の食い違いや、改修の範囲をお互いきちんと把握することを目的とします。</p>
  <table class="facts">
    <tr><th>御社窓口担当</th><td>{{inquiry.primaryContact}}{{#inquiry.hasDeputies}}（代理：{{inquiry.deputies}}）{{/inquiry.hasDeputies}}</td></tr>
    <tr><th>弊社システム担当者</th><td>{{inquiry.engineers}}</td></tr>
    <tr><th>弊社窓口 メール</th><td>{{inquiry.email}}</td></tr>
    <tr><th>弊社窓口 電話</th><td>{{inquiry.phone}}</td></tr>
  </table>
</section>

<section id="security">
  <h2>8. セキュリティリスク</h2>
  <p>情報改ざんやウィルス検知などセキュリティリスクのある案件については発覚後報告を行い、その脅威を取り除くよう対応します。</p>
  <p>但し以下の場合対応は保守範囲外とします。</p>
  <ul>
    <li>開発言語バージョンアップ</li>
    <li>ウィルスチェックが無いなど要件の確認ができないケースなど（ローカルPCで運用が行われている場合など）</li>
  </ul>
</section>

<section id="cooperation">
  <h2>9. 相互協力</h2>
  <p>システムの稼働率を高めるため、本SLAの遵守と必要な情報の開示、及び窓口の一本化、システム利用者のシステム理解やセキュリティに対する社内啓蒙など、相互に協力を行いサービスの維持に努めます。</p>
</section>

<section id="history">
  <h2>10. 更新履歴</h2>
  <table class="facts">
    {{#revisions}}<tr><th>{{label}}</th><td>{{date}}</td></tr>
    {{/revisions}}
  </table>
</section>
`;

const EN = `<header class="doc-head">
  <p class="for">{{generatedFor}}</p>
  <h1>{{title}}</h1>
  <p class="sub">{{contract.name}} / {{policy.name}} (version {{policy.version}})</p>
</header>

<p>This document is the service level agreement for the maintenance contract "{{contract.name}}" with {{client.name}}, based on our standard SLA.</p>

<section id="purpose">
  <h2>1. Purpose of this SLA</h2>
  <p>This SLA states the specification and the quality level of the services we provide to the client, and the responsibilities of both parties.</p>
  <p>By stating them, it aims at a service worth its cost, free of misunderstandings on either side, and at the lasting growth of both parties' business.</p>
</section>

<section id="scope">
  <h2>2. Scope of service</h2>
  <p>Under this SLA we provide the following service.</p>
  <table class="facts">
    <tr><th>Systems covered</th><td>{{contract.systems}}</td></tr>
    <tr><th>System users</th><td>{{contract.users}}</td></tr>
    <tr><th>Contract period</th><td>{{contract.period}}</td></tr>
  </table>
  <p>We take care that the system users above can run their business smoothly; when a failure occurs we investigate its cause, report how to deal with it and agree on the response with you.</p>
  {{#contract.hasInScopeNotes}}<p>In scope of this contract: {{contract.inScopeNotes}}</p>{{/contract.hasInScopeNotes}}
</section>

<section id="out-of-scope">
  <h2>3. Out of scope</h2>
  <p>Anything not related to the system.</p>
  <p>Questions about the PCs individuals use with the system, and questions about how to use or operate the system, are not covered by the service.</p>
  <p>To isolate the cause of a problem while the system is running we may investigate a PC and operate it or give instructions; a problem specific to an individual PC is still outside this service.</p>
  {{#contract.hasOutOfScopeNotes}}<p>Out of scope of this contract: {{contract.outOfScopeNotes}}</p>{{/contract.hasOutOfScopeNotes}}
  {{#contract.hasNotes}}<p>Notes: {{contract.notes}}</p>{{/contract.hasNotes}}
</section>

<section id="service-hours">
  <h2>4. Service hours</h2>
  <p>The service is available 24 hours a day, 365 days a year, except for scheduled maintenance.</p>
  <p>The system stops for maintenance as follows.</p>
  <table class="facts">
    <tr><th>System backup</th><td>{{contract.backupWindow}}</td></tr>
  </table>
  <p>When unforeseen maintenance stops the system, we inform you each time.</p>
  <p>Such stops are announced at least {{maintenance.noticeBusinessDays}} business days in advance, except for urgent bug fixes.</p>
</section>

<section id="overview">
  <h2>5. Overview of the service</h2>
  <p>To solve problems we do the following.</p>
  <table class="grid">
    <tr><th>Recovery from failures</th><td>We aim to resolve incidents within the target times.</td></tr>
    <tr><th>Availability and reliability</th><td>We take care that users are not seriously affected and work to keep the system running smoothly.</td></tr>
    <tr><th>Inquiries</th><td>We set up a desk for users' inquiries and state how to reach it; we support you until the problem is solved and explain its course afterwards.</td></tr>
    <tr><th>Change requests</th><td>For change requests about the system we judge whether they are feasible, then propose the cost and carry them out.</td></tr>
    <tr><th>Risks</th><td>When a risk arises in the system we control it or present it to you, and act or consult with you to keep the impact on your business as small as possible.</td></tr>
  </table>
</section>

<section id="targets">
  <h2>6. Service targets</h2>
  <p>To support the operation of your system, we aim to resolve each incident within the time set for its priority. The priority is set by our desk.</p>
  <table class="grid targets">
    <thead><tr><th>Priority</th><th>Target times</th></tr></thead>
    <tbody>
      {{#targets}}<tr><th>{{priority}}</th><td>{{summary}}</td></tr>
      {{/targets}}
    </tbody>
  </table>
  <p class="note">When {{policy.atRiskPercent}}% of a target's time has passed, the engineer in charge is warned and the case is handled first.{{#policy.pauseWhileWaiting}} While we wait for your answer, the resolution clock is stopped.{{/policy.pauseWhileWaiting}}</p>
</section>

<section id="inquiries">
  <h2>7. Inquiries</h2>
  <p>The desk for maintenance is reached by: {{inquiry.channels}}.</p>
  <p>Urgent matters are reported mainly by telephone. Work starts from the moment the desk recognises the problem (for e-mail, once the e-mail has been read).</p>
  <p>Unless agreed otherwise, support is given within our business hours ({{inquiry.businessHours}}, except {{inquiry.holidays}}).</p>
  <p>When the system does not run and your business is seriously affected, the matter is treated as urgent and handled separately.</p>
  <p>In busy seasons we consider extending the support hours on request.</p>
  {{#inquiry.hasExtensions}}<table class="grid"><thead><tr><th>Extended period</th><th>Support hours</th></tr></thead><tbody>
    {{#inquiry.extensions}}<tr><td>{{period}}</td><td>{{hours}}</td></tr>{{/inquiry.extensions}}
  </tbody></table>{{/inquiry.hasExtensions}}
  <p>You designate one contact person among the system users, and the exchanges take place between our engineer in charge and your designated contact, so that opinions do not diverge between people and both sides know the scope of every change.</p>
  <table class="facts">
    <tr><th>Your designated contact</th><td>{{inquiry.primaryContact}}{{#inquiry.hasDeputies}} (deputies: {{inquiry.deputies}}){{/inquiry.hasDeputies}}</td></tr>
    <tr><th>Our engineers in charge</th><td>{{inquiry.engineers}}</td></tr>
    <tr><th>Our desk, e-mail</th><td>{{inquiry.email}}</td></tr>
    <tr><th>Our desk, telephone</th><td>{{inquiry.phone}}</td></tr>
  </table>
</section>

<section id="security">
  <h2>8. Security risks</h2>
  <p>Cases with a security risk, such as tampering with information or a detected virus, are reported once discovered, and we act to remove the threat.</p>
  <p>The following are outside the scope of maintenance:</p>
  <ul>
    <li>upgrading the version of the development language</li>
    <li>cases where the requirements cannot be confirmed, e.g. no virus checks (such as operation on a local PC)</li>
  </ul>
</section>

<section id="cooperation">
  <h2>9. Mutual cooperation</h2>
  <p>To keep the system's availability high, both parties cooperate to maintain the service: keeping this SLA, disclosing the information needed, a single point of contact, and raising the system users' understanding of the system and of security.</p>
</section>

<section id="history">
  <h2>10. Revision history</h2>
  <table class="facts">
    {{#revisions}}<tr><th>{{label}}</th><td>{{date}}</td></tr>
    {{/revisions}}
  </table>
</section>
`;

export const DEFAULT_SLA_TEMPLATES: Record<Locale, string> = { ja: JA, en: EN };
