/**
 * For test/monitoring/outage-atomic.test.ts: runs the monitoring incident job for one
 * outage on the SQLite file HOSHU_TEST_DB_FILE and kills ITSELF with SIGKILL just before
 * the first statement that follows the insert of the incident row — between the incident
 * and the outage's link to it, where the two-transaction code used to leave an orphan.
 */
import { InsertQueryNode, TableNode, type KyselyPlugin, type PluginTransformQueryArgs, type PluginTransformResultArgs, type QueryResult, type RootOperationNode, type UnknownRow } from 'kysely';
import { createDb } from '../../src/db/database.ts';
import { createServices } from '../../src/http/services.ts';

class KillAfterIncidentInsert implements KyselyPlugin {
  #inserted = false;
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (this.#inserted) process.kill(process.pid, 'SIGKILL');
    const node = args.node;
    if (InsertQueryNode.is(node) && TableNode.is(node.into!) && node.into.table.identifier.name === 'incidents') this.#inserted = true;
    return node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

const database = createDb({ dialect: 'sqlite', file: process.env.HOSHU_TEST_DB_FILE! });
const db = database.db.withPlugin(new KillAfterIncidentInsert());
const clock = () => Number(process.env.HOSHU_TEST_NOW);
await createServices({ db, clock }).monitoring.openIncident(process.env.HOSHU_TEST_OUTAGE!);
// Reaching this line means the kill never came: the parent treats that as a failure.
process.stdout.write('completed\n');
await database.close();
