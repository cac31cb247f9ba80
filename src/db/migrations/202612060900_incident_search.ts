/**
 * Search over the queue (issue 17): one text per incident — title, description, reporter
 * name and e-mail, and the subjects of its mail — indexed for substring search, so
 * 受注画面 finds 受注画面が開かない (no word breaks in Japanese: trigrams, not words).
 * - SQLite: an FTS5 table with the `trigram` tokenizer, its rowid the incident number.
 * - PostgreSQL: a plain table with a GIN `pg_trgm` index, which serves ILIKE '%…%'.
 * Triggers keep it exact in every write path (the services, the mail intake, bulk
 * imports and the CLI alike), inside the writing transaction.
 * Frozen once landed: imports only kysely.
 */
import { sql, SqliteAdapter, type Kysely } from 'kysely';

const SQLITE_DOC = (i: string) => `${i}.title || char(10) || ${i}.description || char(10) || coalesce(${i}.reporter_name, '')
  || char(10) || coalesce(${i}.reporter_email, '') || char(10)
  || coalesce((select group_concat(m.subject, char(10)) from mail_messages m where m.incident_id = ${i}.id and m.subject is not null), '')`;

// Migrations see an untyped database on purpose: they must not depend on today's schema.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) {
    // remove_diacritics needs SQLite 3.45 (better-sqlite3 12 bundles 3.5x): "cafe" finds "café".
    await sql`create virtual table incident_search using fts5(incident_id unindexed, doc, tokenize = 'trigram remove_diacritics 1')`.execute(db);
    await sql`insert into incident_search (rowid, incident_id, doc) select i.number, i.id, ${sql.raw(SQLITE_DOC('i'))} from incidents i`.execute(db);
    await sql`create trigger incident_search_insert after insert on incidents begin
                insert into incident_search (rowid, incident_id, doc) values (new.number, new.id, ${sql.raw(SQLITE_DOC('new'))}); end`.execute(db);
    await sql`create trigger incident_search_update after update of title, description, reporter_name, reporter_email on incidents begin
                update incident_search set doc = ${sql.raw(SQLITE_DOC('new'))} where rowid = new.number; end`.execute(db);
    await sql`create trigger incident_search_delete after delete on incidents begin
                delete from incident_search where rowid = old.number; end`.execute(db);
    const refresh = (col: 'new' | 'old') => sql.raw(`update incident_search set doc = (select ${SQLITE_DOC('i')} from incidents i where i.id = ${col}.incident_id)
                where rowid = (select number from incidents where id = ${col}.incident_id);`);
    await sql`create trigger incident_search_mail_insert after insert on mail_messages when new.incident_id is not null begin ${refresh('new')} end`.execute(db);
    await sql`create trigger incident_search_mail_update after update of incident_id, subject on mail_messages begin ${refresh('old')} ${refresh('new')} end`.execute(db);
    await sql`create trigger incident_search_mail_delete after delete on mail_messages when old.incident_id is not null begin ${refresh('old')} end`.execute(db);
    return;
  }

  await sql`create extension if not exists pg_trgm`.execute(db);
  await sql`create table incident_search (
              incident_id text primary key references incidents (id) on delete cascade,
              doc text not null)`.execute(db);
  await sql`create index incident_search_doc_trgm on incident_search using gin (doc gin_trgm_ops)`.execute(db);
  await sql`create function incident_search_refresh(p_id text) returns void language sql as $$
              insert into incident_search (incident_id, doc)
              select i.id, concat_ws(chr(10), i.title, i.description, coalesce(i.reporter_name, ''), coalesce(i.reporter_email, ''),
                       coalesce((select string_agg(m.subject, chr(10) order by m.id) from mail_messages m where m.incident_id = i.id), ''))
              from incidents i where i.id = p_id
              on conflict (incident_id) do update set doc = excluded.doc $$`.execute(db);
  await sql`create function incident_search_on_incident() returns trigger language plpgsql as $$
              begin perform incident_search_refresh(new.id); return null; end $$`.execute(db);
  await sql`create function incident_search_on_mail() returns trigger language plpgsql as $$
              begin
                if tg_op in ('UPDATE', 'DELETE') and old.incident_id is not null then perform incident_search_refresh(old.incident_id); end if;
                if tg_op in ('INSERT', 'UPDATE') and new.incident_id is not null then perform incident_search_refresh(new.incident_id); end if;
                return null;
              end $$`.execute(db);
  await sql`create trigger incident_search_insert after insert on incidents for each row execute function incident_search_on_incident()`.execute(db);
  await sql`create trigger incident_search_update after update of title, description, reporter_name, reporter_email on incidents
              for each row execute function incident_search_on_incident()`.execute(db);
  await sql`create trigger incident_search_mail after insert or delete or update of incident_id, subject on mail_messages
              for each row execute function incident_search_on_mail()`.execute(db);
  await sql`select incident_search_refresh(id) from incidents`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) {
    for (const t of ['insert', 'update', 'delete', 'mail_insert', 'mail_update', 'mail_delete']) {
      await sql`drop trigger if exists ${sql.raw(`incident_search_${t}`)}`.execute(db);
    }
    await sql`drop table if exists incident_search`.execute(db);
    return;
  }
  await sql`drop trigger if exists incident_search_mail on mail_messages`.execute(db);
  await sql`drop trigger if exists incident_search_update on incidents`.execute(db);
  await sql`drop trigger if exists incident_search_insert on incidents`.execute(db);
  await sql`drop table if exists incident_search`.execute(db);
  await sql`drop function if exists incident_search_on_mail()`.execute(db);
  await sql`drop function if exists incident_search_on_incident()`.execute(db);
  await sql`drop function if exists incident_search_refresh(text)`.execute(db);
}
